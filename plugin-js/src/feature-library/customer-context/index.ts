/**
 * Feature "customer-context" (issue 5; seed "Customer Context Plugin", seed-behaviour 2): the "Customer" task
 * canvas tab with the bot context of `attributes.context` and the task user's Segment profile (traits and
 * events through flexcore-server /fetch-persona).
 *
 * Config: `ui_attributes.custom_data.features.flexcore.customer_context` (settings.ts; `enabled` default true).
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as TaskCanvasTabsHook from './flex-hooks/components/TaskCanvasTabs';
import { stringHook } from './flex-hooks/strings';

export const FEATURE_NAME = 'customer-context';

/** The hooks this feature installs (the hook itself honours `customer_context.enabled`). */
export function register(_config: FlexcoreConfig): FeatureDefinition {
  return { name: FEATURE_NAME, hooks: [TaskCanvasTabsHook] };
}

const feature: Feature = { name: FEATURE_NAME, register, strings: stringHook };
export default feature;
