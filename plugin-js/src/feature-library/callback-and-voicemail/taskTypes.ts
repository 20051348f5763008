/** Which tasks the callback feature applies to (seed-behaviour 4.5): TaskRouter channel `voice` + taskType. */

/** The parts of a Flex ITask the feature reads. */
export interface CallbackTaskLike {
  sid?: string;
  taskSid?: string;
  taskChannelUniqueName?: string;
  attributes?: Record<string, unknown> | null;
  /** The reservation's status (Flex ITask.status: pending, accepted, wrapping, completed…). */
  status?: string;
  /** The task's assignment status (Flex ITask.taskStatus: reserved, assigned, wrapping, completed…). */
  taskStatus?: string;
  queueName?: string;
  queueSid?: string;
  workflowSid?: string;
  timeout?: number;
  priority?: number;
}

/** The `taskType` attribute of a task, or undefined. */
export function taskTypeOf(task: CallbackTaskLike | undefined | null): string | undefined {
  const type = task?.attributes?.taskType;
  return typeof type === 'string' ? type : undefined;
}

/** True for a `voice` task whose taskType is `type`. */
export function isVoiceTaskOfType(task: CallbackTaskLike | undefined | null, type: 'callback' | 'voicemail'): boolean {
  return task?.taskChannelUniqueName === 'voice' && taskTypeOf(task) === type;
}

/** True for a callback or voicemail task (any channel: the panel applies to both). */
export function isCallbackOrVoicemail(task: CallbackTaskLike | undefined | null): boolean {
  const type = taskTypeOf(task);
  return type === 'callback' || type === 'voicemail';
}

/** `"<queueName>: <attributes.name>"`, the list and canvas title of both channels. */
export function channelTitle(task: CallbackTaskLike): string {
  const name = task.attributes?.name;
  return `${task.queueName ?? ''}: ${typeof name === 'string' ? name : ''}`;
}
