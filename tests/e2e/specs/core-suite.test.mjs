// Level "browser unit tests": the same Catch2 suite as tests/core (native and node), compiled for the web
// and run inside headless chromium. Each Catch2 test case becomes a node:test subtest, so a failing core
// test fails this level by name, and node's runner summary counts the core cases.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { launchBrowser, recordPageErrors } from '../lib/browser.mjs';
import { CORE_SUITE_JS } from '../lib/paths.mjs';
import { CoreSuitePage, parseCatchXml } from '../pages/core-suite-page.mjs';

/** Same filter as the node run in ctest (tests/core/CMakeLists.txt): native-only cases are skipped. */
const CATCH_ARGS = ['--use-colour', 'no', '--reporter', 'xml', '~[native-only]'];

let session;
before(async () => {
  assert.ok(existsSync(CORE_SUITE_JS), `${CORE_SUITE_JS} is missing: build it with cmake --build --preset wasm-release`);
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

test('the Catch2 core suite passes inside headless chromium', async (t) => {
  const page = await session.browser.newPage();
  const pageLog = recordPageErrors(page);
  const suite = new CoreSuitePage(page);

  const run = await suite.run(CORE_SUITE_JS, CATCH_ARGS);
  const xml = run.stdout.join('\n');
  let report;
  try {
    report = parseCatchXml(xml);
  } catch (err) {
    assert.fail(`${err.message}\nstdout tail:\n${run.stdout.slice(-20).join('\n')}\nstderr:\n${run.stderr.join('\n')}`);
  }

  // The suite really ran in this browser, not zero tests and not a truncated report.
  assert.ok(report.cases.length > 0, 'the core suite ran zero test cases');
  assert.deepEqual(pageLog.errors, [], 'uncaught errors on the page');
  for (const c of report.cases) {
    await t.test(`core: ${c.name}`, () => {
      assert.ok(c.success, `Catch2 test case "${c.name}" ${c.tags} failed:\n${c.messages.join('\n')}`);
    });
  }

  // The summary Catch2 prints agrees with the cases, and main's exit code is the number of failed cases.
  const failed = report.cases.filter((c) => !c.success).length;
  assert.equal(report.totals.cases.passed + report.totals.cases.failed, report.cases.length);
  assert.equal(report.totals.cases.failed, failed);
  assert.equal(run.exitCode, failed, `callMain returned ${run.exitCode}, Catch2 reported ${failed} failed case(s)`);
  t.diagnostic(
    `chromium ran ${report.cases.length} core test cases (${report.totals.assertions.passed} assertions passed, ` +
      `${report.totals.assertions.failed} failed)`,
  );
  await page.close();
});
