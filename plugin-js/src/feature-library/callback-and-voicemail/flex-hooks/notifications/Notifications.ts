import type { FlexGlobal } from '../../../../types/feature';

/** Notification ids of the feature (seed-behaviour 4.5). */
export const NOTIFICATIONS = {
  error: 'ErrorCallBackAndVoicemail',
  outboundDialingNotEnabled: 'CallbackOutboundDialingNotEnabled',
} as const;

export const setupName = 'Notifications';

/** Registers the feature's error notifications. */
export const setupHook = function registerCallbackNotifications(flex: FlexGlobal): void {
  flex.Notifications.registerNotification({
    id: NOTIFICATIONS.error,
    type: 'error' as never,
    content: 'Callback and voicemail: {{error}}',
    closeButton: true,
  } as never);
  flex.Notifications.registerNotification({
    id: NOTIFICATIONS.outboundDialingNotEnabled,
    type: 'error' as never,
    content: 'Outbound dialing is not enabled, please notify a systems administrator',
    closeButton: true,
  } as never);
};
