import * as Flex from '@twilio/flex-ui';

import type { Feature } from '../../types/feature';
import { FEATURES, initFeatures } from '.';

const flexMock = Flex as unknown as typeof Flex & {
  TaskCanvasTabs: { Content: { fragments: unknown[] } };
  __manager: Flex.Manager & { configuration: Record<string, unknown> };
};

let info: jest.SpyInstance;
let error: jest.SpyInstance;
beforeEach(() => {
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** The hooks of the callback-and-voicemail feature (issue 7), registered after core-status. */
const CALLBACK_HOOKS = [
  'callback-and-voicemail/registerCallbackNotifications',
  'callback-and-voicemail/createCallbackTaskChannel',
  'callback-and-voicemail/createVoicemailTaskChannel',
  'callback-and-voicemail/replaceTaskInfoPanelForCallbacks',
  'callback-and-voicemail/reselectCallbackTaskAfterOutboundCall',
];

const withFlexcoreAttributes = (flexcore: unknown): void => {
  flexMock.__manager.configuration = { custom_data: { features: { flexcore } } };
};

/** Every hook of every feature with the default configuration, in registration order. */
const ALL_HOOKS = [
  'core-status/addFlexcoreTabToTaskCanvasTabs',
  'segment-lookup/addSegmentLookupToAgentDesktopPanel2',
  'customer-context/addCustomerTabToTaskCanvasTabs',
  'agent-extensions/addAgentExtensionsView',
  'agent-extensions/addAgentExtensionsSideLink',
  ...CALLBACK_HOOKS,
  'hang-up-by/writeHangUpByBeforeHangupCall',
];

it('registers every feature by default and logs each hook by name', () => {
  const report = initFeatures(Flex, flexMock.__manager);
  expect(report).toEqual({ installed: ALL_HOOKS, failed: [] });
  expect(flexMock.TaskCanvasTabs.Content.fragments).toHaveLength(2);
  expect(info).toHaveBeenCalledWith('[plugin-flexcore]', 'core-status: registered addFlexcoreTabToTaskCanvasTabs → TaskCanvasTabs');
});

it('registers nothing when flexcore is disabled in ui_attributes', () => {
  withFlexcoreAttributes({ enabled: false });
  expect(initFeatures(Flex, flexMock.__manager)).toEqual({ installed: [], failed: [] });
  expect(flexMock.TaskCanvasTabs.Content.fragments).toHaveLength(0);
});

it('skips a feature disabled by its own key', () => {
  withFlexcoreAttributes({ core_status: { enabled: false } });
  expect(initFeatures(Flex, flexMock.__manager).installed).toEqual(ALL_HOOKS.filter((h) => !h.startsWith('core-status/')));
  withFlexcoreAttributes({ segment_lookup: { enabled: false } });
  expect(initFeatures(Flex, flexMock.__manager).installed).toEqual(ALL_HOOKS.filter((h) => !h.startsWith('segment-lookup/')));
});

it('isolates features: a feature or hook that throws is logged and the others still register', () => {
  const broken: Feature = {
    name: 'broken-feature',
    register: () => {
      throw new Error('bad config');
    },
  };
  const brokenHook: Feature = {
    name: 'broken-hook',
    register: () => ({
      name: 'broken-hook',
      hooks: [
        {
          componentName: 'TaskCanvasTabs',
          componentHook: function addNothingToTaskCanvasTabs() {
            throw new Error('Content is undefined');
          },
        },
      ],
    }),
  };
  const report = initFeatures(Flex, flexMock.__manager, [broken, brokenHook, ...FEATURES]);
  expect(report.installed).toEqual(ALL_HOOKS);
  expect(report.failed.map((f) => f.feature)).toEqual(['broken-feature', 'broken-hook']);
  expect(error).toHaveBeenCalledWith(
    '[plugin-flexcore]',
    'broken-feature: could not be registered; Flex continues without it',
    expect.any(Error),
  );
  expect(error).toHaveBeenCalledWith(
    '[plugin-flexcore]',
    'broken-hook: hook addNothingToTaskCanvasTabs failed; Flex continues without it',
    expect.any(Error),
  );
});

it('installs action, task channel and setup hooks and logs each by name and target', async () => {
  const seen: string[] = [];
  const everyKind: Feature = {
    name: 'every-kind',
    register: () => ({
      name: 'every-kind',
      hooks: [
        {
          actionEvent: 'before',
          actionName: 'HangupCall',
          actionHook: function recordBeforeHangupCall(flex) {
            flex.Actions.addListener('beforeHangupCall', async () => {
              seen.push('beforeHangupCall');
            });
          },
        },
        {
          channelName: 'callback',
          channelHook: function callbackChannel(flex) {
            return flex.DefaultTaskChannels.createDefaultTaskChannel('callback', () => true, 'Icon', 'IconBold', '#000');
          },
        },
        {
          setupName: 'Notifications',
          setupHook: function registerTestNotifications() {
            seen.push('setup');
          },
        },
      ],
    }),
  };
  const report = initFeatures(Flex, flexMock.__manager, [everyKind]);
  expect(report).toEqual({
    installed: ['every-kind/recordBeforeHangupCall', 'every-kind/callbackChannel', 'every-kind/registerTestNotifications'],
    failed: [],
  });
  expect(seen).toEqual(['setup']);
  await Flex.Actions.invokeAction('HangupCall', {});
  expect(seen).toEqual(['setup', 'beforeHangupCall']);
  const channels = (Flex as unknown as { TaskChannels: { getRegistered(): { name: string }[] } }).TaskChannels;
  expect(channels.getRegistered().map((c) => c.name)).toEqual(['callback']);
  expect(info).toHaveBeenCalledWith('[plugin-flexcore]', 'every-kind: registered recordBeforeHangupCall → beforeHangupCall');
  expect(info).toHaveBeenCalledWith('[plugin-flexcore]', 'every-kind: registered callbackChannel → TaskChannels:callback');
  expect(info).toHaveBeenCalledWith('[plugin-flexcore]', 'every-kind: registered registerTestNotifications → Notifications');
});
