/**
 * Feature "segment-lookup" (seed: brypo/flex-plugin-insights-segment-lookup, seed-behaviour 1.6): a panel in
 * AgentDesktopView.Panel2 that looks up the Flex Insights segment IDs of a Task SID through flexcore-server's
 * `/get-segment-id`.
 *
 * Config: `ui_attributes.custom_data.features.flexcore.segment_lookup.enabled` (default true) and the shared
 * `server_url`.
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as AgentDesktopViewPanel2Hook from './flex-hooks/components/AgentDesktopViewPanel2';
import { stringHook } from './flex-hooks/strings';

export const FEATURE_NAME = 'segment-lookup';

/** The hooks this feature installs when enabled. */
export function register(config: FlexcoreConfig): FeatureDefinition {
  if (!config.segmentLookup.enabled) return { name: FEATURE_NAME, hooks: [] };
  return { name: FEATURE_NAME, hooks: [AgentDesktopViewPanel2Hook] };
}

const feature: Feature = { name: FEATURE_NAME, register, strings: stringHook };
export default feature;
