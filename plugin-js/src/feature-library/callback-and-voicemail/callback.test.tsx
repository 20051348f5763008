// Callback and voicemail in the plugin (seed-behaviour 4.5) with the REAL wasm core and the Flex mock:
// channels, the TaskInfoPanel replacement, Place Call Now, Retry Later, re-selection, notifications.
import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';
import { loadCore, resetCore } from 'flexcore';

import { forgetLoadedCore } from '../../core/useCore';
import { resolveFlexcoreConfig } from '../../utils/configuration';
import feature, { register } from '.';
import { placeCall, retryLater, type CallbackEnv } from './callbackActions';
import { CallbackPanelContent, formatInZone } from './custom-components/CallbackPanel';
import * as SelectTaskHook from './flex-hooks/actions/SelectTask';
import * as CallbackChannel from './flex-hooks/channels/Callback';
import * as VoicemailChannel from './flex-hooks/channels/Voicemail';
import * as TaskInfoPanelHook from './flex-hooks/components/TaskInfoPanel';
import { NOTIFICATIONS, setupHook as registerNotifications } from './flex-hooks/notifications/Notifications';
import { forgetPlacedReservation, placedReservation, rememberPlacedReservation } from './state';

const flexMock = Flex as unknown as typeof Flex & {
  TaskInfoPanel: { Content: { fragments: { element: React.ReactElement; options: Record<string, unknown> }[] } };
  Notifications: { shown: { id: string; context?: Record<string, unknown> }[]; registered: Record<string, unknown> };
  Actions: { invokeAction: jest.Mock; eventListeners: Record<string, unknown[]> };
  __manager: Flex.Manager;
  __setMockTask: (task: unknown) => void;
  __resetFlexMock: () => void;
};
const manager = flexMock.__manager as unknown as Flex.Manager & {
  serviceConfiguration: Record<string, unknown>;
  store: { getState: jest.Mock };
};

const TASK_SID = 'WT0123456789abcdef0123456789abcdef';
const RESERVATION_SID = 'WR0123456789abcdef0123456789abcdef';
const WORKFLOW = 'WW0123456789abcdef0123456789abcdef';
const FLOW = 'FW0123456789abcdef0123456789abcdef';
const RECORDING = 'RE0123456789abcdef0123456789abcdef';

function voicemailTask(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    sid: RESERVATION_SID,
    taskSid: TASK_SID,
    taskChannelUniqueName: 'voice',
    status: 'accepted',
    taskStatus: 'assigned',
    queueName: 'Callbacks',
    queueSid: 'WQ0123456789abcdef0123456789abcdef',
    workflowSid: WORKFLOW,
    timeout: 86400,
    priority: 0,
    attributes: {
      taskType: 'voicemail',
      name: 'Voicemail (+15550100000)',
      flow_execution_sid: FLOW,
      message: null,
      callBackData: {
        numberToCall: '+15550100000',
        numberToCallFrom: '+15550100001',
        attempts: 0,
        mainTimeZone: 'UTC',
        utcDateTimeReceived: '2024-05-01T12:00:00.000Z',
        RecordingSid: RECORDING,
        RecordingUrl: 'https://example.com/recording.mp3',
        TranscriptionText: 'Please call me back',
        isDeleted: false,
        ...data,
      },
      direction: 'inbound',
      conversations: { conversation_id: 'WTffffffffffffffffffffffffffffffff' },
    },
    ...overrides,
  };
}

function setState(state: unknown): void {
  (manager as unknown as { store: { getState: () => unknown } }).store.getState = jest.fn(() => state);
}
function setServiceConfiguration(value: unknown): void {
  (manager as unknown as { serviceConfiguration: unknown }).serviceConfiguration = value;
}

let core: Awaited<ReturnType<typeof loadCore>>;
beforeAll(async () => {
  core = await loadCore();
}, 20000);
afterAll(() => {
  forgetLoadedCore();
  resetCore();
});
beforeEach(() => {
  flexMock.__resetFlexMock();
  forgetPlacedReservation();
  setState({ flex: { worker: { tasks: new Map([[RESERVATION_SID, {}]]), activity: { sid: 'WAonline' } } } });
  setServiceConfiguration({ outbound_call_flows: { default: { enabled: true } }, taskrouter_offline_activity_sid: 'WAoffline' });
  flexMock.Actions.invokeAction.mockClear();
});

function env(overrides: Partial<CallbackEnv> = {}): CallbackEnv {
  return { flex: Flex, manager, core, serverUrl: 'http://127.0.0.1:3000', maxAttempts: 3, ...overrides };
}

describe('registration', () => {
  it('installs notifications, two channels, the panel and the re-selection hook; none when disabled', () => {
    expect(feature.name).toBe('callback-and-voicemail');
    expect(register(resolveFlexcoreConfig({}, {})).hooks).toHaveLength(5);
    expect(register(resolveFlexcoreConfig({ callback: { enabled: false } }, {})).hooks).toEqual([]);
  });

  it('reads max attempts from ui_attributes or FLEX_APP_CALLBACK_RETRY_ATTEMPTS', () => {
    expect(resolveFlexcoreConfig({ callback: { max_attempts: 5 } }, {}).callback.maxAttempts).toBe(5);
    expect(resolveFlexcoreConfig({}, { FLEX_APP_CALLBACK_RETRY_ATTEMPTS: '4' }).callback.maxAttempts).toBe('4');
    expect(core.maxAttemptsFromConfig(resolveFlexcoreConfig({}, {}).callback.maxAttempts)).toBe(3);
  });
});

describe('task channels', () => {
  it('callback and voicemail channels apply to voice tasks by taskType, with colours and titles', () => {
    const callback = CallbackChannel.channelHook(Flex) as unknown as {
      name: string;
      isApplicable: (t: unknown) => boolean;
      colors: { main: string };
      templates: { TaskListItem: { firstLine: (t: unknown) => string }; IncomingTaskCanvas: { firstLine: (t: unknown) => string } };
    };
    const voicemail = VoicemailChannel.channelHook(Flex) as unknown as typeof callback;
    expect(CallbackChannel.channelName).toBe('callback');
    expect(callback.name).toBe('callback');
    expect(callback.colors.main).toBe('palegreen');
    expect(voicemail.colors.main).toBe('deepskyblue');
    const vm = voicemailTask();
    const cb = voicemailTask({ attributes: { ...vm.attributes, taskType: 'callback', name: 'Callback (+15550100000)' } });
    expect(voicemail.isApplicable(vm)).toBe(true);
    expect(callback.isApplicable(vm)).toBe(false);
    expect(callback.isApplicable(cb)).toBe(true);
    expect(callback.isApplicable({ ...cb, taskChannelUniqueName: 'chat' })).toBe(false);
    expect(voicemail.templates.TaskListItem.firstLine(vm)).toBe('Callbacks: Voicemail (+15550100000)');
    expect(voicemail.templates.IncomingTaskCanvas.firstLine(vm)).toBe('Callbacks');
  });
});

describe('TaskInfoPanel', () => {
  it('replaces the panel only for callback and voicemail tasks', () => {
    TaskInfoPanelHook.componentHook(Flex, manager, resolveFlexcoreConfig({}, {}));
    const [fragment] = flexMock.TaskInfoPanel.Content.fragments;
    expect(fragment.options.sortOrder).toBe(-1);
    expect(fragment.options.replaced).toBe(true);
    const condition = fragment.options.if as (p: unknown) => boolean;
    expect(condition({ task: voicemailTask() })).toBe(true);
    expect(condition({ task: { attributes: { taskType: 'chat' } } })).toBe(false);
    expect(condition({ task: undefined })).toBe(false);
  });

  it('shows the voicemail with recording, transcript, contact, reception time and attempt', async () => {
    flexMock.__setMockTask(voicemailTask());
    TaskInfoPanelHook.componentHook(Flex, manager, resolveFlexcoreConfig({ callback: { max_attempts: 3 } }, {}));
    render(flexMock.TaskInfoPanel.Content.fragments[0].element);
    expect(await screen.findByTestId('callback-heading')).toHaveTextContent('Contact Voicemail');
    expect(screen.getByTestId('callback-recording')).toHaveAttribute('src', 'https://example.com/recording.mp3');
    expect(screen.getByTestId('callback-transcript')).toHaveTextContent('Please call me back');
    expect(screen.getByTestId('callback-contact-phone')).toHaveTextContent('+15550100000');
    expect(screen.getByTestId('callback-attempt')).toHaveTextContent('1 of 3');
    expect(screen.getByTestId('callback-received')).toHaveAttribute('title', `System time: ${formatInZone('2024-05-01T12:00:00.000Z', 'UTC')}`);
    expect(screen.getByTestId('callback-place-call')).toHaveTextContent('Place Call Now To +15550100000');
    expect(screen.getByTestId('callback-retry-later')).toBeEnabled();
  });

  it('hides recording and transcript for isDeleted "true" but not "false"; no Retry Later on the last attempt', async () => {
    const { rerender } = render(
      <CallbackPanelContent task={voicemailTask({}, { isDeleted: 'false' })} flex={Flex} manager={manager} serverUrl={undefined} maxAttemptsSetting={undefined} />,
    );
    expect(await screen.findByTestId('callback-recording')).toBeInTheDocument();
    rerender(
      <CallbackPanelContent task={voicemailTask({}, { isDeleted: 'true', attempts: 2 })} flex={Flex} manager={manager} serverUrl={undefined} maxAttemptsSetting="3" />,
    );
    expect(screen.queryByTestId('callback-recording')).toBeNull();
    expect(screen.queryByTestId('callback-transcript')).toBeNull();
    expect(screen.getByTestId('callback-attempt')).toHaveTextContent('3 of 3');
    expect(screen.queryByTestId('callback-retry-later')).toBeNull();
  });

  it('disables both buttons unless the task is assigned, and Place Call when the worker is offline', async () => {
    const { rerender } = render(
      <CallbackPanelContent task={voicemailTask({ status: 'wrapping', taskStatus: 'wrapping' })} flex={Flex} manager={manager} serverUrl={undefined} maxAttemptsSetting={undefined} />,
    );
    expect(await screen.findByTestId('callback-place-call')).toBeDisabled();
    expect(screen.getByTestId('callback-retry-later')).toBeDisabled();
    setState({ flex: { worker: { activity: { sid: 'WAoffline' } } } });
    rerender(<CallbackPanelContent task={voicemailTask()} flex={Flex} manager={manager} serverUrl={undefined} maxAttemptsSetting={undefined} />);
    expect(screen.getByTestId('callback-place-call')).toBeDisabled();
    expect(screen.getByTestId('callback-retry-later')).toBeEnabled();
  });
});

describe('Place Call Now', () => {
  it('starts the outbound call with the seed attributes and remembers the reservation', async () => {
    expect(await placeCall(env(), voicemailTask())).toBe(true);
    expect(flexMock.Actions.invokeAction).toHaveBeenCalledWith('StartOutboundCall', {
      destination: '+15550100000',
      callerId: '+15550100001',
      queueSid: 'WQ0123456789abcdef0123456789abcdef',
      taskAttributes: expect.objectContaining({
        taskType: 'callback-outbound',
        conversations: { conversation_id: 'WTffffffffffffffffffffffffffffffff' },
        autoClose: true,
        parentTask: RESERVATION_SID,
      }),
    });
    expect(placedReservation()).toBe(RESERVATION_SID);
  });

  it('shows the not-enabled notification when no outbound call flow is enabled', async () => {
    registerNotifications(Flex);
    expect(Object.keys(flexMock.Notifications.registered)).toEqual([NOTIFICATIONS.error, NOTIFICATIONS.outboundDialingNotEnabled]);
    setServiceConfiguration({ outbound_call_flows: { default: { enabled: false } } });
    expect(await placeCall(env(), voicemailTask())).toBe(false);
    expect(flexMock.Notifications.shown).toEqual([{ id: NOTIFICATIONS.outboundDialingNotEnabled, context: undefined }]);
    expect(flexMock.Actions.invokeAction).not.toHaveBeenCalled();
  });

  it('retries a failing StartOutboundCall 5 more times, then notifies', async () => {
    const lifecycle = flexMock.Actions.invokeAction.getMockImplementation();
    flexMock.Actions.invokeAction.mockImplementation(async () => {
      throw new Error('no device');
    });
    expect(await placeCall(env(), voicemailTask())).toBe(false);
    expect(flexMock.Actions.invokeAction).toHaveBeenCalledTimes(6);
    expect(flexMock.Notifications.shown[0].id).toBe(NOTIFICATIONS.error);
    flexMock.Actions.invokeAction.mockImplementation(lifecycle);
  });
});

describe('Retry Later', () => {
  function fakeFetch(responses: { status: number; body: unknown }[]) {
    const calls: { url: string; body: string }[] = [];
    const fn = jest.fn(async (url: string, init: { body: string }) => {
      calls.push({ url, body: init.body });
      const next = responses.shift() ?? { status: 500, body: {} };
      return { status: next.status, ok: next.status >= 200 && next.status < 300, json: async () => next.body } as Response;
    });
    return { fn: fn as unknown as typeof fetch, calls };
  }

  it('re-queues with the next attempt, original conversation and time, then wraps up the task', async () => {
    const { fn, calls } = fakeFetch([{ status: 200, body: { success: true, taskSid: 'WTnew' } }]);
    const newSid = await retryLater(env({ fetch: fn }), voicemailTask());
    expect(newSid).toBe('WTnew');
    expect(calls[0].url).toBe('http://127.0.0.1:3000/callback/flex/create-callback');
    const sent = Object.fromEntries(new URLSearchParams(calls[0].body));
    expect(sent).toMatchObject({
      Token: 'mockedFlexToken',
      numberToCall: '+15550100000',
      numberToCallFrom: '+15550100001',
      flexFlowSid: FLOW,
      workflowSid: WORKFLOW,
      attempts: '1',
      conversation_id: 'WTffffffffffffffffffffffffffffffff',
      utcDateTimeReceived: '2024-05-01T12:00:00.000Z',
      RecordingSid: RECORDING,
    });
    expect(sent.priority).toBeUndefined();
    expect(flexMock.Actions.invokeAction).toHaveBeenCalledWith('WrapupTask', expect.objectContaining({ sid: RESERVATION_SID }));
  });

  it('retries 429 up to 3 times with the seed backoff, and reports a server failure without wrapping up', async () => {
    const sleeps: number[] = [];
    const { fn, calls } = fakeFetch([
      { status: 429, body: {} },
      { status: 429, body: {} },
      { status: 200, body: { success: true, taskSid: 'WTnew' } },
    ]);
    expect(await retryLater(env({ fetch: fn, sleep: async (ms) => void sleeps.push(ms), random: () => 200 }), voicemailTask())).toBe('WTnew');
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([200, 300]);

    flexMock.Actions.invokeAction.mockClear();
    const failing = fakeFetch([{ status: 400, body: { success: false, message: 'TaskRouter said no' } }]);
    expect(await retryLater(env({ fetch: failing.fn }), voicemailTask())).toBeUndefined();
    expect(flexMock.Notifications.shown.at(-1)).toEqual({ id: NOTIFICATIONS.error, context: { error: 'flexcore-server rejected the request as invalid. (detail: TaskRouter said no)' } });
    expect(flexMock.Actions.invokeAction).not.toHaveBeenCalled();
  });

  it('refuses the last attempt and a missing server without calling anything', async () => {
    const { fn, calls } = fakeFetch([]);
    expect(await retryLater(env({ fetch: fn }), voicemailTask({}, { attempts: 2 }))).toBeUndefined();
    expect(flexMock.Notifications.shown.at(-1)?.context?.error).toMatch(/no retry is left/);
    expect(await retryLater(env({ fetch: fn, serverUrl: undefined }), voicemailTask())).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('the panel button runs Retry Later', async () => {
    const { fn, calls } = fakeFetch([{ status: 200, body: { success: true, taskSid: 'WTnew' } }]);
    render(
      <CallbackPanelContent task={voicemailTask()} flex={Flex} manager={manager} serverUrl="http://127.0.0.1:3000" maxAttemptsSetting={3} fetchImpl={fn} />,
    );
    fireEvent.click(await screen.findByTestId('callback-retry-later'));
    await waitFor(() => expect(calls).toHaveLength(1));
    await waitFor(() => expect(flexMock.Actions.invokeAction).toHaveBeenCalledWith('WrapupTask', expect.anything()));
  });
});

describe('re-selection after the outbound call', () => {
  it('replaces a cleared selection by the callback reservation while it exists', async () => {
    SelectTaskHook.actionHook(Flex, manager);
    rememberPlacedReservation(RESERVATION_SID);
    await act(async () => {
      await expect(Flex.Actions.invokeAction('SelectTask', { sid: undefined })).rejects.toThrow(/cancelled/);
    });
    expect(flexMock.Actions.invokeAction).toHaveBeenLastCalledWith('SelectTask', { sid: RESERVATION_SID });
    expect(placedReservation()).toBeUndefined();
  });

  it('leaves the selection alone when nothing was placed or the reservation is gone', async () => {
    SelectTaskHook.actionHook(Flex, manager);
    await Flex.Actions.invokeAction('SelectTask', { sid: undefined });
    rememberPlacedReservation('WRgone');
    await Flex.Actions.invokeAction('SelectTask', { sid: undefined });
    await Flex.Actions.invokeAction('SelectTask', { sid: TASK_SID });
    expect(flexMock.Actions.invokeAction).toHaveBeenCalledTimes(3);
  });
});
