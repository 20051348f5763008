/**
 * Feature "hang-up-by" (issue 8; seed brypo/flex-insights-hang-up-by, seed-behaviour 5.2): a
 * `beforeHangupCall` listener recording `conversations.hang_up_by = "agent"` on voice tasks. The server
 * side (`POST /taskrouter/events` on flexcore-server) decides `customer` / `disconnect` at wrap-up and
 * keeps this `agent`.
 *
 * Config: on whenever flexcore is enabled (`ui_attributes.custom_data.features.flexcore.enabled`).
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as HangupCallHook from './flex-hooks/actions/HangupCall';

export const FEATURE_NAME = 'hang-up-by';

/** The hooks this feature installs. */
export function register(_config: FlexcoreConfig): FeatureDefinition {
  return { name: FEATURE_NAME, hooks: [HangupCallHook] };
}

const feature: Feature = { name: FEATURE_NAME, register };
export default feature;
