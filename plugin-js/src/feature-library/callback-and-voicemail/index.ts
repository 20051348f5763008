/**
 * Feature "callback-and-voicemail" (seed: twilio/flex-plugin-library-callback-and-voicemail;
 * seed-behaviour 4.5): the callback and voicemail task channels over TaskRouter's `voice` channel, the
 * TaskInfoPanel replaced by the callback view (recording, transcript, contact, reception time, attempt
 * counter, Place Call Now, Retry Later), re-selection of the callback task after the outbound call, and
 * its notifications. The rules (view, re-queue parameters, outbound attributes) come from the core.
 *
 * Config: `ui_attributes.custom_data.features.flexcore.callback.enabled` (default true) and
 * `callback.max_attempts` (fallback FLEX_APP_CALLBACK_RETRY_ATTEMPTS, default 3).
 */
import type { Feature, FeatureDefinition } from '../../types/feature';
import type { FlexcoreConfig } from '../../utils/configuration';
import * as SelectTaskHook from './flex-hooks/actions/SelectTask';
import * as CallbackChannel from './flex-hooks/channels/Callback';
import * as VoicemailChannel from './flex-hooks/channels/Voicemail';
import * as TaskInfoPanelHook from './flex-hooks/components/TaskInfoPanel';
import * as NotificationsHook from './flex-hooks/notifications/Notifications';
import { stringHook } from './flex-hooks/strings';

export const FEATURE_NAME = 'callback-and-voicemail';

/** The hooks this feature installs when enabled. */
export function register(config: FlexcoreConfig): FeatureDefinition {
  if (!config.callback.enabled) return { name: FEATURE_NAME, hooks: [] };
  return {
    name: FEATURE_NAME,
    hooks: [NotificationsHook, CallbackChannel, VoicemailChannel, TaskInfoPanelHook, SelectTaskHook],
  };
}

const feature: Feature = { name: FEATURE_NAME, register, strings: stringHook };
export default feature;
