import * as Flex from '@twilio/flex-ui';

import FlexcorePlugin from './FlexcorePlugin';

const flexMock = Flex as unknown as typeof Flex & {
  TaskCanvasTabs: { Content: { fragments: unknown[] } };
  __manager: Flex.Manager;
};

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

it('is named FlexcorePlugin and carries the package name and version from the Flex tooling', () => {
  const plugin = new FlexcorePlugin();
  expect(plugin.name).toBe('FlexcorePlugin');
  expect(plugin.uniqueName).toBe('plugin-flexcore');
  expect(plugin.version).toBe(require('../package.json').version);
});

it('registers its features when Flex calls init(flex, manager)', async () => {
  await new FlexcorePlugin().init(Flex, flexMock.__manager);
  expect(flexMock.TaskCanvasTabs.Content.fragments).toHaveLength(2); // core-status, customer-context
});

it('src/index hands the plugin class to Twilio.Flex.Plugins.init, as Flex expects', () => {
  const init = jest.fn();
  (window as unknown as { Twilio: unknown }).Twilio = { Flex: { Plugins: { init } } };
  jest.isolateModules(() => {
    require('./index');
  });
  expect(init).toHaveBeenCalledTimes(1);
  expect(init.mock.calls[0][0].name).toBe('FlexcorePlugin');
  delete (window as unknown as { Twilio?: unknown }).Twilio;
});
