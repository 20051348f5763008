/**
 * @jest-environment node
 */
// The beforeHangupCall listener with the REAL core (the flexcore package, wasm inlined): what it writes,
// that it never throws, never makes Flex wait, skips non-voice and gone tasks.
import * as Flex from '@twilio/flex-ui';
import { loadCore, resetCore } from 'flexcore';

import { beforeHangupCallListener, recordAgentHangUp, type HangupTask, type HangUpDeps } from './recordAgentHangUp';
import { taskStillHeld, writeHangUpByBeforeHangupCall } from './flex-hooks/actions/HangupCall';

const flexMock = Flex as unknown as { Actions: { invokeAction: (name: string, payload: unknown) => Promise<unknown> }; __reset: () => void };

afterAll(() => resetCore());
beforeEach(() => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const deps = (live = true): HangUpDeps => ({ loadCore, isTaskLive: () => live });

function voiceTask(attributes: unknown = { name: 'Ada', conversations: { queue: 'Sales' } }): HangupTask & { setAttributes: jest.Mock } {
  return {
    taskSid: 'WT0123456789abcdef0123456789abcdef',
    sid: 'WR0123456789abcdef0123456789abcdef',
    taskChannelUniqueName: 'voice',
    status: 'assigned',
    attributes,
    setAttributes: jest.fn(async () => undefined),
  };
}

it('writes conversations.hang_up_by = agent on a voice task, keeping every other attribute', async () => {
  const task = voiceTask({ name: 'Ada', price: 1.5, conversations: { queue: 'Sales', hang_up_by: 'Customer' } });
  await expect(recordAgentHangUp(task, deps())).resolves.toBe('written');
  expect(task.setAttributes).toHaveBeenCalledTimes(1);
  expect(task.setAttributes).toHaveBeenCalledWith({
    name: 'Ada',
    price: 1.5,
    conversations: { queue: 'Sales', hang_up_by: 'agent' },
  });
});

it('creates conversations when absent or null (the seed threw on null)', async () => {
  for (const attributes of [{ name: 'Ada' }, { name: 'Ada', conversations: null }, undefined]) {
    const task = { ...voiceTask(), attributes };
    await expect(recordAgentHangUp(task, deps())).resolves.toBe('written');
    expect(task.setAttributes.mock.calls[0][0].conversations).toEqual({ hang_up_by: 'agent' });
  }
});

it('does not write on non-voice tasks', async () => {
  const task = { ...voiceTask(), taskChannelUniqueName: 'chat' };
  await expect(recordAgentHangUp(task, deps())).resolves.toBe('not-voice');
  expect(task.setAttributes).not.toHaveBeenCalled();
});

it('does not write when the task is already gone', async () => {
  const completed = { ...voiceTask(), status: 'completed' };
  await expect(recordAgentHangUp(completed, deps())).resolves.toBe('task-gone');
  expect(completed.setAttributes).not.toHaveBeenCalled();
  const removed = voiceTask();
  await expect(recordAgentHangUp(removed, deps(false))).resolves.toBe('task-gone');
  expect(removed.setAttributes).not.toHaveBeenCalled();
});

it('never rejects: a failing write, bad attributes, a core that does not load, no task at all', async () => {
  const rejecting = voiceTask();
  rejecting.setAttributes.mockRejectedValue(new Error('Task not found (20404)'));
  await expect(recordAgentHangUp(rejecting, deps())).resolves.toBe('failed');
  await expect(recordAgentHangUp(voiceTask('[1,2]'), deps())).resolves.toBe('failed');
  await expect(recordAgentHangUp(voiceTask(), { loadCore: () => Promise.reject(new Error('no wasm')), isTaskLive: () => true })).resolves.toBe(
    'failed',
  );
  await expect(recordAgentHangUp(undefined, deps())).resolves.toBe('no-task');
  await expect(recordAgentHangUp({ ...voiceTask(), setAttributes: undefined }, deps())).resolves.toBe('failed');
});

it('the listener returns synchronously (nothing for Flex to await) and never throws', () => {
  let resolveCore: (core: Awaited<ReturnType<typeof loadCore>>) => void = () => undefined;
  const pending = new Promise<Awaited<ReturnType<typeof loadCore>>>((resolve) => {
    resolveCore = resolve;
  });
  const listener = beforeHangupCallListener({ loadCore: () => pending, isTaskLive: () => true });
  const task = voiceTask();
  expect(listener({ task })).toBeUndefined();
  expect(task.setAttributes).not.toHaveBeenCalled();  // the write waits for the core, the hang-up does not
  expect(() => listener(undefined)).not.toThrow();
  expect(() => listener(null)).not.toThrow();
  expect(() => listener({ task: 42 })).not.toThrow();
  void loadCore().then(resolveCore);
});

it('installed on Flex: HangupCall proceeds at once and the write lands in the background', async () => {
  const flex = Flex as unknown as Parameters<typeof writeHangUpByBeforeHangupCall>[0];
  const held = new Map([['WR0123456789abcdef0123456789abcdef', {}]]);
  const manager = { store: { getState: () => ({ flex: { worker: { tasks: held } } }) } } as unknown as Parameters<
    typeof writeHangUpByBeforeHangupCall
  >[1];
  writeHangUpByBeforeHangupCall(flex, manager);
  const task = voiceTask();
  await flexMock.Actions.invokeAction('HangupCall', { task });
  await loadCore();
  await new Promise((resolve) => setImmediate(resolve));
  expect(task.setAttributes).toHaveBeenCalledWith({ name: 'Ada', conversations: { queue: 'Sales', hang_up_by: 'agent' } });
  expect(taskStillHeld(manager, task)).toBe(true);
  expect(taskStillHeld(manager, { ...task, sid: 'WRffffffffffffffffffffffffffffffff' })).toBe(false);
});
