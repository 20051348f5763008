import type { FlexGlobal } from '../../../../types/feature';
import { StringTemplates } from '../strings';

/** Notification ids of the feature (seed-behaviour 4.5). */
export const NOTIFICATIONS = {
  error: 'ErrorCallBackAndVoicemail',
  outboundDialingNotEnabled: 'CallbackOutboundDialingNotEnabled',
} as const;

export const setupName = 'Notifications';

/**
 * Registers the feature's error notifications. Their `content` is the name of a string in `manager.strings`
 * (Flex resolves a notification content that names a string template, with the showNotification context).
 */
export const setupHook = function registerCallbackNotifications(flex: FlexGlobal): void {
  flex.Notifications.registerNotification({
    id: NOTIFICATIONS.error,
    type: 'error' as never,
    content: StringTemplates.NotificationError,
    closeButton: true,
  } as never);
  flex.Notifications.registerNotification({
    id: NOTIFICATIONS.outboundDialingNotEnabled,
    type: 'error' as never,
    content: StringTemplates.NotificationOutboundDialingNotEnabled,
    closeButton: true,
  } as never);
};
