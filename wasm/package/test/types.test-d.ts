// Compile-only type tests (tsc --noEmit): the public declarations say what the facade does.
import { loadCore, CoreError, CoreLoadError, ERROR_CODES, type ErrorCode, type FlexCore } from '../dist/types/index';

async function check(): Promise<void> {
  const core: FlexCore = await loadCore();
  const valid: boolean = core.isValidSid('WT', 'WT');
  const sid: string = core.checkSid('WT', 'WT', 'TaskSid');
  const version: string = core.version;
  const codes: ErrorCode[] = core.errorCodes();
  const first: ErrorCode = ERROR_CODES[0];
  try {
    core.checkSid('x', 'WT', 'TaskSid');
  } catch (e) {
    if (e instanceof CoreError) {
      const code: ErrorCode = e.code;
      void code;
    }
    if (e instanceof CoreLoadError) void e.cause;
  }
  // @ts-expect-error isValidSid takes two strings
  core.isValidSid(42, 'WT');
  // @ts-expect-error not an error code
  const bad: ErrorCode = 'NoSuchCode';
  void [valid, sid, version, codes, first, bad];
}
void check;
