/**
 * beforeHangupCall → record `conversations.hang_up_by = "agent"` on voice tasks (fire and forget).
 * See ../../recordAgentHangUp.ts for the write path and guarantees.
 */
import type * as Flex from '@twilio/flex-ui';
import { loadCore } from 'flexcore';

import type { FlexGlobal } from '../../../../types/feature';
import { beforeHangupCallListener, type HangupTask } from '../../recordAgentHangUp';

export const actionEvent = 'before' as const;
export const actionName = 'HangupCall';

/** True while the worker still holds the reservation (Flex store: flex.worker.tasks, keyed by reservation SID). */
export function taskStillHeld(manager: Flex.Manager, task: HangupTask): boolean {
  try {
    const tasks = (manager.store.getState() as { flex?: { worker?: { tasks?: Map<string, unknown> } } }).flex?.worker?.tasks;
    if (!tasks || typeof tasks.has !== 'function' || !task.sid) return true;  // cannot tell: assume it is there
    return tasks.has(task.sid);
  } catch {
    return true;
  }
}

/** Adds the beforeHangupCall listener. */
export function writeHangUpByBeforeHangupCall(flex: FlexGlobal, manager: Flex.Manager): void {
  flex.Actions.addListener(
    'beforeHangupCall',
    beforeHangupCallListener({ loadCore, isTaskLive: (task) => taskStillHeld(manager, task) }),
  );
}

export const actionHook = writeHangUpByBeforeHangupCall;
