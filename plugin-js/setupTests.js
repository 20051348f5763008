// Jest setup for `flex-plugin test` (found by the Flex tooling at <plugin>/setupTests.js).
require('@testing-library/jest-dom');

beforeEach(() => {
  // Every test starts with an empty Flex mock (content stores, listeners, configuration, selected task,
  // strings), then the plugin's English strings in manager.strings, as after the plugin's init() in Flex
  // (components rendered on their own read their texts from there).
  const flex = require('@twilio/flex-ui');
  flex.__resetFlexMock();
  flex.__manager.strings = {};
  const info = console.info;
  console.info = () => undefined; // registration log lines
  try {
    require('./src/test-utils/strings').registerAllStrings(flex.__manager, 'en-US');
  } finally {
    console.info = info;
  }
});
