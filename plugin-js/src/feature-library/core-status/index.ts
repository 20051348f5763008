/**
 * Feature "core-status": the "flexcore" task canvas tab. The foundation every other flexcore feature
 * builds on; it proves the WebAssembly core is loaded inside Flex and shows what it computes for the
 * selected task.
 *
 * Config: `ui_attributes.custom_data.features.flexcore.core_status.enabled` (default true).
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as TaskCanvasTabsHook from './flex-hooks/components/TaskCanvasTabs';
import { stringHook } from './flex-hooks/strings';

export const FEATURE_NAME = 'core-status';

/** The hooks this feature installs when enabled. */
export function register(config: FlexcoreConfig): FeatureDefinition {
  if (!config.coreStatus.enabled) return { name: FEATURE_NAME, hooks: [] };
  return { name: FEATURE_NAME, hooks: [TaskCanvasTabsHook] };
}

const feature: Feature = { name: FEATURE_NAME, register, strings: stringHook };
export default feature;
