/**
 * Hang up by, plugin side (seed-behaviour 5.2, CORRECT column): before Flex hangs up a voice call, record
 * `conversations.hang_up_by = "agent"` on the task, so the server's wrap-up decision keeps "agent".
 *
 * Write path (decided from the seed and upstream-contracts 3.1/4.4): the task's own `setAttributes` — the
 * agent's live TaskRouter connection, as the seed does — with attributes built by the core's
 * `agentHangUpAttributes` (only `conversations.hang_up_by` changes; every other key kept byte for byte).
 * Not through flexcore-server: the signal must not depend on the server being reachable at hang-up time,
 * and the server re-decides on the task's *current* attributes at wrap-up (so a late plugin write still
 * wins over "disconnect" and the server never overwrites it).
 *
 * Guarantees: never throws, never blocks or delays the hang-up (the listener returns before any await;
 * the write runs in the background), only voice tasks, and no write when the task is already gone
 * (completed/canceled, or no longer among the worker's tasks) by the time the core is ready.
 */
import type { FlexCore } from 'flexcore';

import { logger } from '../../utils/logger';

/** The part of Flex's ITask used here. */
export interface HangupTask {
  /** WT… */
  taskSid?: string;
  /** Reservation SID (WR…): the key of the worker's task map. */
  sid?: string;
  /** "voice", "chat", … */
  taskChannelUniqueName?: string;
  /** Reservation status: pending, accepted, assigned, wrapping, completed, canceled… */
  status?: string;
  /** The task attributes as Flex holds them (an object). */
  attributes?: unknown;
  /** Replaces the task's attributes (TaskRouter SDK). */
  setAttributes?: (attributes: Record<string, unknown>) => Promise<unknown>;
}

/** What {@link recordAgentHangUp} needs (injected for tests). */
export interface HangUpDeps {
  /** The loaded core (the package's memoised loadCore). */
  loadCore: () => Promise<Pick<FlexCore, 'agentHangUpAttributes'>>;
  /** True while the task still exists for this worker. */
  isTaskLive: (task: HangupTask) => boolean;
}

/** How a recording attempt ended. */
export type HangUpOutcome = 'written' | 'not-voice' | 'task-gone' | 'no-task' | 'failed';

const GONE = new Set(['completed', 'canceled', 'rescinded', 'timeout', 'rejected']);

/**
 * Records the agent's hang-up on `task`. The returned promise never rejects (failures are logged and
 * reported as 'failed'); callers in Flex do not await it.
 */
export async function recordAgentHangUp(task: HangupTask | undefined, deps: HangUpDeps): Promise<HangUpOutcome> {
  try {
    if (!task || typeof task !== 'object') return 'no-task';
    if (task.taskChannelUniqueName !== 'voice') return 'not-voice';
    const core = await deps.loadCore();
    if ((task.status && GONE.has(task.status)) || !deps.isTaskLive(task)) {
      logger.info(`hang-up-by: task ${String(task.taskSid)} is already gone; nothing written`);
      return 'task-gone';
    }
    if (typeof task.setAttributes !== 'function') throw new Error('the task has no setAttributes()');
    const attributes = (task.attributes ?? {}) as Record<string, unknown> | string;
    const merged = core.agentHangUpAttributes(attributes, 'voice');
    if (merged === null) return 'not-voice';
    await task.setAttributes(JSON.parse(merged) as Record<string, unknown>);
    return 'written';
  } catch (error) {
    logger.warn(`hang-up-by: could not record the agent's hang-up on ${String(task?.taskSid)}; the call ends anyway`, error);
    return 'failed';
  }
}

/**
 * The `beforeHangupCall` listener: starts {@link recordAgentHangUp} in the background and returns at once
 * (returns undefined, not a promise, so Flex has nothing to wait for). Never throws.
 */
export function beforeHangupCallListener(deps: HangUpDeps): (payload: unknown) => void {
  return function writeHangUpByAgent(payload: unknown): void {
    try {
      const task = payload && typeof payload === 'object' ? (payload as { task?: HangupTask }).task : undefined;
      void recordAgentHangUp(task, deps);
    } catch (error) {
      logger.warn('hang-up-by: listener failed; the call ends anyway', error);
    }
  };
}
