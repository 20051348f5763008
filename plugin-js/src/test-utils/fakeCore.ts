import { CoreError, type FlexCore } from 'flexcore';

/**
 * A FlexCore stand-in for UI tests: version "9.9.9-test" and a checkSid that accepts exactly the SIDs in
 * `validSids` and otherwise throws the CoreError a test chooses. UI tests assert how the plugin renders
 * what the core says; the SID rule itself is tested in the core (tests/core) and by realCore.test.ts.
 */
export function fakeCore(
  validSids: string[] = [],
  rejection: CoreError = new CoreError('InvalidArgument', 'TaskSid must be a Twilio SID (fake)'),
): jest.Mocked<FlexCore> {
  return {
    version: '9.9.9-test',
    isValidSid: jest.fn((value: string) => validSids.includes(value)),
    checkSid: jest.fn((value: string) => {
      if (validSids.includes(value)) return value;
      throw rejection;
    }),
    errorCodes: jest.fn(() => ['InvalidArgument']),
  } as unknown as jest.Mocked<FlexCore>;
}

/** A Task SID that is valid by Twilio's rule (WT + 32 hex digits). */
export const VALID_TASK_SID = 'WT0123456789abcdef0123456789abcdef';
