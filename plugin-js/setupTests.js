// Jest setup for `flex-plugin test` (found by the Flex tooling at <plugin>/setupTests.js).
require('@testing-library/jest-dom');

beforeEach(() => {
  // Every test starts with an empty Flex mock (content stores, listeners, configuration, selected task).
  require('@twilio/flex-ui').__resetFlexMock();
});
