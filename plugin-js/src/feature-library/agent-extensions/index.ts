/**
 * Feature "agent-extensions" (issue 6; seed mvrzan/flex-agent-did-extensions, seed-behaviour 3): the supervisor
 * view "Agent Extensions" (ViewCollection) and its side-nav link (hidden for users whose roles are only
 * `agent`). Table logic (filter, sort, page, validation, diff) runs in the WASM core; data comes from
 * flexcore-server's /admin/* routes.
 *
 * Enabled whenever flexcore is enabled; the view says so when server_url is not configured.
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as SideNavHook from './flex-hooks/setup/SideNav';
import * as ViewCollectionHook from './flex-hooks/setup/ViewCollection';
import { stringHook } from './flex-hooks/strings';

export const FEATURE_NAME = 'agent-extensions';

/** The hooks this feature installs. */
export function register(_config: FlexcoreConfig): FeatureDefinition {
  return { name: FEATURE_NAME, hooks: [ViewCollectionHook, SideNavHook] };
}

const feature: Feature = { name: FEATURE_NAME, register, strings: stringHook };
export default feature;
