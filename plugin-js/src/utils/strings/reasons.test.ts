/**
 * @jest-environment node
 */
// The REAL core's reasons reach a key of the strings table of the view that shows them: the bad inputs below
// make the core produce every reason it documents, per field, and each must be said in English and Spanish.
// (strings.test.ts checks the maps against the package's REASONS / SID_REASONS lists; this checks them against
// what the C++ core actually returns.)
import { loadCore, REASONS, resetCore, SID_REASONS, type FlexCore } from 'flexcore';

import { allStringTables } from '../../test-utils/strings';
import { EXTENSION_REASON_KEYS, reasonKeysFor } from '../../feature-library/agent-extensions/reasons';
import { TASK_SID_REASON_KEYS as STATUS_KEYS } from '../../feature-library/core-status/reasons';
import { TASK_SID_REASON_KEYS as LOOKUP_KEYS } from '../../feature-library/segment-lookup/reasons';

const HEX = '0123456789abcdef0123456789abcdef';
const wk = (n: number) => `WK${String(n).padStart(32, '0')}`;

let core: FlexCore;
beforeAll(async () => {
  core = await loadCore();
});
afterAll(() => resetCore());

it("the package's REASONS are the loaded core's", () => {
  expect(core.reasons()).toEqual([...REASONS]);
});

it('every reason of the Task SID checks the plugin makes has a key in both languages', () => {
  const tables = allStringTables();
  const seen = new Set<string>();
  for (const value of ['', '   ', 'WT123', `WK${HEX}`, `WT${'z'.repeat(32)}`, ` WT${HEX}`]) {
    for (const check of [() => core.checkTaskSid(value), () => core.checkSid(value, 'WT', 'TaskSid')]) {
      try {
        check();
      } catch (error) {
        const reason = (error as { reason?: string }).reason;
        expect(reason).toBeDefined();
        seen.add(reason!);
        for (const [keys, owner] of [[LOOKUP_KEYS, 'segment-lookup'], [STATUS_KEYS, 'core-status']] as const) {
          const key = (keys as Record<string, string>)[reason!];
          expect({ reason, owner, en: tables[owner]['en-US'][key] !== undefined, es: tables[owner]['es-MX'][key] !== undefined }).toEqual({
            reason,
            owner,
            en: true,
            es: true,
          });
        }
      }
    }
  }
  expect(Array.from(seen).sort()).toEqual([...SID_REASONS].sort());
});

it('every (field, reason) validateExtension gives has a key of the Agent Extensions table in both languages', () => {
  const table = allStringTables()['agent-extensions'];
  const rows = [
    { workerSid: '', workerFullName: ' ', extensionNumber: '' },
    { workerSid: 'WK1', workerFullName: 'A\u0001', extensionNumber: '-1' },
    { workerSid: `WT${HEX}`, workerFullName: 'x'.repeat(300), extensionNumber: '12345678901' },
    { workerSid: `WK${'g'.repeat(32)}`, workerFullName: 'Ana', extensionNumber: '7' },
  ];
  const existing = [{ workerSid: wk(2), workerFullName: 'Bo', extensionNumber: '7' }];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const problem of core.validateExtension(row, existing).problems) {
      seen.add(problem.reason);
      const key = reasonKeysFor(problem.field)[problem.reason];
      expect({ field: problem.field, reason: problem.reason, key: key !== undefined && table['en-US'][key] !== undefined && table['es-MX'][key] !== undefined }).toEqual({
        field: problem.field,
        reason: problem.reason,
        key: true,
      });
    }
  }
  const few = core.validateExtension({ workerSid: wk(1), workerFullName: 'A', extensionNumber: '1' }, [], { minDigits: 2, maxDigits: 4 });
  expect(few.problems.map((p) => [p.field, p.reason])).toEqual([['extensionNumber', 'too_few_digits']]);
  seen.add('too_few_digits');
  expect(EXTENSION_REASON_KEYS.extensionNumber.too_few_digits).toBeDefined();
  // invalid_utf8 cannot be typed (a JS string always encodes to valid UTF-8); every other reason was produced.
  expect(REASONS.filter((r) => !seen.has(r))).toEqual(['invalid_utf8']);
});
