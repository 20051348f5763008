// Level "browser e2e": the plugin's production bundle (built by the Flex tooling, wasm inlined) loaded by the
// harness page in headless chromium. The values read from the page are computed by the wasm core inside the
// page; each is compared with what the same core computes in node for the same input, so the test cannot
// pass unless the core really ran in the browser. The CSP case shows the other side: when the browser
// refuses to compile WebAssembly, the plugin shows its error Alert and the rest of the desktop keeps working.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { isExpectedConsoleError, launchBrowser } from '../lib/browser.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { ARTIFACTS_DIR, PACKAGE_NODE_ENTRY, PLUGIN_BUNDLE } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const VALID_TASK = 'WT0a1b2c3d4e5f60718293a4b5c6d7e8f9'; // fixtures/tasks.json: Alice Customer (voice)
const CHAT_TASK = 'WT9F8E7D6C5B4A39281706F5E4D3C2B1A0'; // Bob (web chat), upper-case hex
const MALFORMED_TASK = 'WT0123456789abcdef0123456789ABCDEZ'; // ends in Z: not a Task SID
export const SCREENSHOT = path.join(ARTIFACTS_DIR, 'harness-flexcore-tab.png');

let session;
let harness;
let reference;
before(async () => {
  assert.ok(existsSync(PLUGIN_BUNDLE), `${PLUGIN_BUNDLE} is missing: run npm run build in plugin-js`);
  assert.ok(existsSync(PACKAGE_NODE_ENTRY), `${PACKAGE_NODE_ENTRY} is missing: run scripts/build-package`);
  const { loadCore } = await import(pathToFileURL(PACKAGE_NODE_ENTRY).href);
  reference = await loadCore();
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE });
  session = await launchBrowser();
});
after(() => stopAll(session, harness));

/** What the node reference core says about a SID: {verdict, message} as the panel renders them. */
// The verdict the tab must show for `taskSid`, from the same core in node: valid, or "Not a Task SID" with the
// core's error code and reason (the message is the plugin's sentence for that reason, checked below).
function expectedVerdict(taskSid) {
  try {
    reference.checkSid(taskSid, 'WT', 'TaskSid');
    return { verdict: 'Valid Task SID', code: undefined, reason: undefined };
  } catch (error) {
    return { verdict: 'Not a Task SID', code: error.code, reason: error.reason };
  }
}

async function shownVerdict(harnessPage) {
  const { verdict } = await harnessPage.coreStatus();
  return { verdict, ...(await harnessPage.coreVerdictCodes()) };
}

async function openHarness(params) {
  const ctx = await HarnessPage.openReady(session.browser, harness.url, params);
  assert.match(ctx.status.text, /FlexcorePlugin@\d+\.\d+\.\d+/);
  return ctx;
}

function assertCleanPage({ log, harnessPage }) {
  assert.deepEqual(log.errors, [], 'uncaught errors on the page');
  assert.deepEqual(log.console.filter((l) => l.startsWith('[error]') && !isExpectedConsoleError(l)), [], 'console errors');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
}

test('the flexcore tab shows values computed by the wasm core inside the page', async () => {
  const ctx = await openHarness();
  const { page, harnessPage } = ctx;

  await harnessPage.selectTask(VALID_TASK);
  assert.deepEqual(await harnessPage.tabNames(), ['info', 'flexcore', 'customer-context'], 'the plugin added its tabs after Info');
  await harnessPage.openTab('flexcore');
  assert.equal(await harnessPage.waitForCore(), 'ready', `core failed to load: ${await harnessPage.alertText()}`);

  const valid = await harnessPage.coreStatus();
  assert.equal(valid.version, reference.version);
  assert.equal(valid.taskSid, VALID_TASK);
  assert.deepEqual(await shownVerdict(harnessPage), expectedVerdict(VALID_TASK));
  assert.equal(valid.message, undefined);
  assert.equal(valid.verdict, 'Valid Task SID');
  assert.equal(valid.serverUrl, 'not configured');

  // Selecting another task re-renders the open tab with the core's verdict on the new SID.
  await harnessPage.selectTask(CHAT_TASK);
  assert.deepEqual(await shownVerdict(harnessPage), expectedVerdict(CHAT_TASK));

  await harnessPage.selectTask(MALFORMED_TASK);
  const malformed = await harnessPage.coreStatus();
  const expected = expectedVerdict(MALFORMED_TASK);
  assert.deepEqual(expected, { verdict: 'Not a Task SID', code: 'InvalidArgument', reason: 'sid_not_hex' });
  assert.equal(malformed.taskSid, MALFORMED_TASK);
  assert.deepEqual(await shownVerdict(harnessPage), expected);
  // The core's reason said from the plugin's strings table (not the core's English message).
  assert.equal(malformed.message, 'After "WT", a Task SID has only hexadecimal digits (0-9, a-f).');

  // The core arrived inside the plugin bundle: no separate .wasm (or any other file) was fetched.
  const paths = [...new Set(harnessPage.requests.map((u) => u.pathname))].sort();
  assert.deepEqual(paths.filter((p) => !/^\/(harness\/|vendor\/react(-dom)?\.js$|plugin\/plugin-flexcore\.js$|$)/.test(p)), []);
  assert.ok(paths.includes('/plugin/plugin-flexcore.js'));
  assertCleanPage(ctx);

  // Screenshot for the docs: the malformed-SID verdict is the more telling picture; take the valid one too.
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'harness-flexcore-tab-invalid-sid.png') });
  await harnessPage.selectTask(VALID_TASK);
  await page.screenshot({ path: SCREENSHOT });
  await page.close();
});

test('a task can be opened straight on the flexcore tab (?task=&tab=), as the demo links do', async () => {
  const ctx = await openHarness({ task: MALFORMED_TASK, tab: 'flexcore' });
  assert.equal(await ctx.harnessPage.waitForCore(), 'ready');
  const status = await ctx.harnessPage.coreStatus();
  assert.equal(status.taskSid, MALFORMED_TASK);
  assert.deepEqual(await shownVerdict(ctx.harnessPage), expectedVerdict(MALFORMED_TASK));
  assertCleanPage(ctx);
  await ctx.page.close();
});

test('without WebAssembly permission (CSP) the tab shows the error Alert and Flex keeps working', async () => {
  const ctx = await openHarness({ csp: 'no-wasm', task: VALID_TASK, tab: 'flexcore' });
  const { harnessPage } = ctx;
  assert.equal(await harnessPage.waitForCore(), 'error');
  const alert = await harnessPage.alertText();
  assert.match(alert, /flexcore is unavailable: the flexcore core could not be loaded\./);
  assert.match(alert, /WebAssembly/);
  const status = await harnessPage.coreStatus();
  assert.equal(status.version, undefined, 'no core version without a core');
  assert.equal(status.verdict, undefined, 'no verdict without a core');
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await ctx.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'harness-core-unavailable.png') });

  // The failure stays inside the plugin's tab: the desktop still switches tasks and shows Flex's Info tab.
  await harnessPage.selectTask(CHAT_TASK);
  await harnessPage.openTab('info');
  await ctx.page.locator('.fh-info').getByText(CHAT_TASK).waitFor();
  assert.deepEqual(ctx.log.errors, [], 'the failed core load must not surface as an uncaught page error');
  await ctx.page.close();
});
