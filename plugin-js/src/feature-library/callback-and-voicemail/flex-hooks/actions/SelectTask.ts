import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import { forgetPlacedReservation, placedReservation } from '../../state';

export const actionEvent = 'before';
export const actionName = 'SelectTask';

/** Whether the worker still holds reservation `sid` (Flex redux: flex.worker.tasks, a Map or an object). */
export function reservationExists(manager: Flex.Manager, sid: string): boolean {
  const tasks = (manager.store?.getState?.() as { flex?: { worker?: { tasks?: unknown } } } | undefined)?.flex?.worker?.tasks;
  if (tasks instanceof Map) return tasks.has(sid);
  return typeof tasks === 'object' && tasks !== null && Object.prototype.hasOwnProperty.call(tasks, sid);
}

/**
 * Seed 4.5 "auto-select": when Flex clears the selection (SelectTask with no sid — it does so when the
 * outbound call's reservation ends), select the callback task whose call was placed instead, if it is
 * still there.
 */
export const actionHook = function reselectCallbackTaskAfterOutboundCall(flex: FlexGlobal, manager: Flex.Manager): void {
  flex.Actions.addListener('beforeSelectTask', async (payload: { sid?: string | null }, abort: () => void) => {
    if (payload?.sid) return;
    const sid = placedReservation();
    if (!sid) return;
    if (!reservationExists(manager, sid)) {
      forgetPlacedReservation();
      return;
    }
    abort();
    forgetPlacedReservation();
    await flex.Actions.invokeAction('SelectTask', { sid });
  });
};
