/**
 * @jest-environment node
 */
// The REAL core under Jest: the flexcore package's node flavour ("main": dist/node, the wasm inlined),
// loaded without any mock. Proves the package works in the Flex tooling's Jest and that the plugin's
// UI logic (checkTaskSid) agrees with the C++ rule.
import { CoreError, loadCore, resetCore } from 'flexcore';

import { checkTaskSid } from '../feature-library/core-status/taskSidCheck';

const VALID = 'WT0123456789abcdef0123456789abcdef';

afterAll(() => resetCore());

it('loads the wasm core once and reports the package version', async () => {
  const [a, b] = await Promise.all([loadCore(), loadCore()]);
  expect(a).toBe(b);
  expect(a.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(a.version).toBe(require('flexcore/package.json').version);
});

it('accepts a Task SID and rejects malformed ones with the core message', async () => {
  const core = await loadCore();
  expect(checkTaskSid(core, VALID)).toEqual({ valid: true, taskSid: VALID });
  expect(checkTaskSid(core, VALID.toUpperCase().replace(/^WT/, 'WT'))).toEqual({
    valid: true,
    taskSid: VALID.toUpperCase(),
  });
  for (const bad of ['', 'WK0123456789abcdef0123456789abcdef', `${VALID}0`, 'WT0123456789abcdef0123456789abcdeg', ` ${VALID}`]) {
    const verdict = checkTaskSid(core, bad);
    expect(verdict.valid).toBe(false);
    if (!verdict.valid) {
      expect(verdict.code).toBe('InvalidArgument');
      expect(verdict.message).toMatch(/TaskSid/);
    }
  }
});

it('throws CoreError with a code from the real core', async () => {
  const core = await loadCore();
  expect(() => core.checkSid('nope', 'WT', 'TaskSid')).toThrow(CoreError);
  expect(core.errorCodes()).toContain('InvalidArgument');
});
