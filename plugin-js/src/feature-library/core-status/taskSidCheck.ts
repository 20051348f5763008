import { CoreError, type FlexCore } from 'flexcore';

/** Twilio's prefix for TaskRouter Task SIDs. */
export const TASK_SID_PREFIX = 'WT';

/** The verdict the core gives on a Task SID, ready to render. */
export type TaskSidVerdict =
  | { valid: true; taskSid: string }
  | { valid: false; taskSid: string; code: CoreError['code']; message: string; reason?: string; params?: Readonly<Record<string, string>> };

/**
 * Asks the core whether `taskSid` is a TaskRouter Task SID (`core.checkSid(value, 'WT', 'TaskSid')`,
 * wasm/core sid.h). The rule lives in the core; this only turns its CoreError (English message, machine-readable
 * reason and params) into a renderable verdict.
 * Errors other than CoreError (a broken core) are rethrown for the panel's error boundary.
 */
export function checkTaskSid(core: Pick<FlexCore, 'checkSid'>, taskSid: string): TaskSidVerdict {
  try {
    core.checkSid(taskSid, TASK_SID_PREFIX, 'TaskSid');
    return { valid: true, taskSid };
  } catch (error) {
    if (error instanceof CoreError) {
      return { valid: false, taskSid, code: error.code, message: error.message, reason: error.reason, params: error.params };
    }
    throw error;
  }
}
