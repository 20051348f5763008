// Compile-only type tests (tsc --noEmit): the public declarations say what the facade does.
import { loadCore, CoreError, CoreLoadError, ERROR_CODES, type ErrorCode, type FlexCore } from '../dist/types/index';
import { REASONS, SID_REASONS, type Reason, type SidReason } from '../dist/types/index';
import type {
  ContextRow,
  ContextValueKind,
  ExtensionDiff,
  ExtensionPage,
  ExtensionValidation,
  ExtensionWorker,
  SegmentEventRow,
  StoredExtensionRow,
} from '../dist/types/index';

async function check(): Promise<void> {
  const core: FlexCore = await loadCore();
  const valid: boolean = core.isValidSid('WT', 'WT');
  const sid: string = core.checkSid('WT', 'WT', 'TaskSid');
  const version: string = core.version;
  const codes: ErrorCode[] = core.errorCodes();
  const first: ErrorCode = ERROR_CODES[0];
  const reasons: string[] = core.reasons();
  const firstReason: Reason = REASONS[0];
  const sidReason: SidReason = SID_REASONS[1];
  // @ts-expect-error a SID check never gives 'taken'
  const notSid: SidReason = 'taken';
  void reasons;
  void firstReason;
  void sidReason;
  void notSid;
  try {
    core.checkSid('x', 'WT', 'TaskSid');
  } catch (e) {
    if (e instanceof CoreError) {
      const code: ErrorCode = e.code;
      void code;
      const reason: string | undefined = e.reason;
      const params: Readonly<Record<string, string>> | undefined = e.params;
      void reason;
      void params;
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

// Customer context and agent extensions (issues 5 and 6).
async function checkFeatures(): Promise<void> {
  const core: FlexCore = await loadCore();
  const rows: ContextRow[] = core.contextRows({ context: { a: 1 } }, { flatten: true, maxRows: 10 });
  const kind: ContextValueKind = rows[0].kind;
  const events: SegmentEventRow[] = core.eventRows(null);
  const shown: string | null = core.displayTimestamp('2026-11-21T00:00:00Z');
  // @ts-expect-error maxDepth is a number
  core.contextRows('{}', { maxDepth: 'deep' });
  const page: ExtensionPage = core.queryExtensions([], { sortBy: 'extensionNumber', sortDir: 'desc', page: 2 });
  // @ts-expect-error not a column
  core.queryExtensions([], { sortBy: 'name' });
  const stored: StoredExtensionRow = page.items[0];
  const validation: ExtensionValidation = core.validateExtension({ workerSid: 'WK', workerFullName: 'A', extensionNumber: '1' });
  const diff: ExtensionDiff = core.diffExtensions('[]', []);
  const worker: ExtensionWorker | undefined = core.buildLookupTable([]).get('1234');
  void [kind, events, shown, stored, validation, diff, worker];
}
void checkFeatures;
