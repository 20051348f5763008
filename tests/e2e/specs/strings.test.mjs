// Strings (issue 9): the plugin's production bundle in the harness switched to Spanish through the topbar's
// language switch, which calls Flex's manager.localization.setLocalePreference (stored under
// TWILIO_FLEX_LOCALE_PREFERENCE, page reloaded, as Flex does). After the reload every feature shows its Spanish
// texts, read from manager.strings where the plugin registered them at init: the "flexcore" tab (core-status),
// the Segment Lookup panel, the "Cliente" tab (customer-context), the voicemail panel (callback-and-voicemail)
// and the "Agent Extensions" side link and view. Switching back gives English again.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { isExpectedConsoleError, launchBrowser } from '../lib/browser.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { ARTIFACTS_DIR, PLUGIN_BUNDLE, REPO_ROOT } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const ALICE = 'WT0a1b2c3d4e5f60718293a4b5c6d7e8f9'; // fixtures/tasks.json: voice task, valid Task SID
const CAROL = 'WTc0ffee00c0ffee00c0ffee00c0ffee00'; // fixtures/tasks.json: chat task with a bot context
const MALFORMED = 'WT0123456789abcdef0123456789ABCDEZ'; // fixtures/tasks.json: ends in Z, not a Task SID
const VOICEMAIL = 'WT5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a'; // added below: a voicemail task (callback-and-voicemail)

let session;
let harness;
let tmpDir;
before(async () => {
  assert.ok(existsSync(PLUGIN_BUNDLE), `${PLUGIN_BUNDLE} is missing: run npm run build in plugin-js`);
  // The harness fixtures plus one voicemail task, so the callback panel shows too.
  const fixtures = JSON.parse(readFileSync(path.join(REPO_ROOT, 'plugin-js', 'harness', 'public', 'fixtures', 'tasks.json'), 'utf8'));
  fixtures.tasks.push({
    taskSid: VOICEMAIL,
    sid: 'WR5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    taskChannelUniqueName: 'voice',
    queueName: 'Callbacks',
    status: 'accepted', taskStatus: 'assigned',
    dateCreated: '2026-11-21T09:40:00Z',
    attributes: {
      taskType: 'voicemail',
      name: 'Voicemail (+15550100077)',
      callBackData: {
        numberToCall: '+15550100077',
        numberToCallFrom: '+15550100999',
        attempts: 0,
        mainTimeZone: 'UTC',
        utcDateTimeReceived: '2026-11-21T09:40:00.000Z',
        TranscriptionText: 'Por favor, llámenme mañana.',
        isDeleted: false,
      },
    },
  });
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'flexcore-e2e-strings-'));
  const tasksPath = path.join(tmpDir, 'tasks.json');
  writeFileSync(tasksPath, JSON.stringify(fixtures));
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, tasksPath });
  session = await launchBrowser();
});
after(async () => {
  await stopAll(session, harness);
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
});

const textOf = async (page, selector) => (await page.locator(selector).first().textContent()).trim();

/** Chooses a language in the topbar switch and waits for the reloaded harness to be ready again. */
async function switchLanguage(page, tag) {
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('lang') === tag),
    page.locator('[data-testid="harness-language"]').selectOption(tag),
  ]);
  await page.locator('[data-testid="harness-status"][data-state="ready"]').waitFor();
}

function assertCleanPage({ log, harnessPage }) {
  assert.deepEqual(log.errors, [], 'uncaught errors on the page');
  assert.deepEqual(log.console.filter((l) => l.startsWith('[error]') && !isExpectedConsoleError(l)), [], 'console errors');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
}

test('the language switch turns every feature of the plugin to Spanish, and back', async () => {
  const ctx = await HarnessPage.openReady(session.browser, harness.url, { task: 'none', roles: 'agent,supervisor' });
  const { page, harnessPage } = ctx;

  // English first (Flex's default locale).
  assert.equal(await page.locator('[data-testid="harness-language"]').inputValue(), 'en-US');
  await page.locator('[data-testid="segment-lookup-button"]').waitFor();
  assert.match(await textOf(page, '[data-testid="flexcore-segment-lookup"] h3'), /^Segment Lookup$/);

  // The switch: Flex's setLocalePreference stores the choice and reloads.
  await switchLanguage(page, 'es-MX');
  assert.equal(await page.evaluate(() => localStorage.getItem('TWILIO_FLEX_LOCALE_PREFERENCE')), 'es-MX');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es-MX');
  assert.equal(await page.locator('[data-testid="harness-language"]').inputValue(), 'es-MX');

  // segment-lookup (no task selected after the reload: the URL still says task=none)
  await page.locator('[data-testid="segment-lookup-button"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="flexcore-segment-lookup"] h3'), 'Búsqueda de segmentos');
  assert.equal(await textOf(page, '[data-testid="segment-lookup-button"]'), 'Buscar');
  assert.equal(await page.locator('[data-testid="segment-lookup-input"]').getAttribute('placeholder'), 'Ingrese el SID de la tarea');
  assert.equal(await textOf(page, 'label[for="flexcore-segment-lookup-task-sid"]'), 'SID de la tarea');
  // The core's reason for refusing a typed Task SID, said in Spanish (the core decides what is wrong).
  await page.locator('[data-testid="segment-lookup-input"]').fill('WT123');
  await page.locator('[data-testid="segment-lookup-button"]').click();
  await page.locator('[data-testid="segment-lookup-error"]').waitFor();
  assert.equal(
    await textOf(page, '[data-testid="segment-lookup-error"]'),
    'Error: Un SID de tarea tiene 34 caracteres («WT» y 32 dígitos hexadecimales); este tiene 5.',
  );

  // core-status: the "flexcore" tab of a task, with the core's verdict
  await harnessPage.selectTask(ALICE);
  const tabLabels = await page.locator('[data-testid="task-canvas-tab"]').evaluateAll((els) => els.map((e) => [e.dataset.tabName, e.textContent]));
  assert.deepEqual(tabLabels.slice(1), [['flexcore', 'flexcore'], ['customer-context', 'Cliente']]);
  await harnessPage.openTab('flexcore');
  assert.equal(await harnessPage.waitForCore(), 'ready');
  assert.equal(await textOf(page, '[data-testid="flexcore-task-sid-verdict"]'), 'SID de tarea válido');
  assert.equal(await textOf(page, '[data-testid="flexcore-server-url"]'), 'no configurado');
  assert.ok((await page.locator('[data-testid="flexcore-core-status"]').textContent()).includes('Versión del núcleo'));
  // A task whose SID is not a Task SID: the verdict and the core's reason (sid_not_hex) in Spanish.
  await harnessPage.selectTask(MALFORMED);
  await page.locator('[data-testid="flexcore-task-sid-message"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="flexcore-task-sid-verdict"]'), 'No es un SID de tarea');
  assert.equal(
    await textOf(page, '[data-testid="flexcore-task-sid-message"]'),
    'Después de «WT», un SID de tarea solo tiene dígitos hexadecimales (0-9, a-f).',
  );

  // customer-context: the "Cliente" tab of the task with a bot context
  await harnessPage.selectTask(CAROL);
  await harnessPage.openTab('customer-context');
  await page.locator('[data-testid="customer-bot-context"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="customer-bot-context"] h4'), 'Contexto del bot');
  assert.equal(await textOf(page, '[data-testid="flexcore-customer-context"] h3'), 'Cliente');

  // callback-and-voicemail: the Info tab of a voicemail task is the callback panel
  await harnessPage.selectTask(VOICEMAIL);
  await harnessPage.openTab('info');
  await page.locator('[data-testid="callback-panel"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="callback-heading"]'), 'Mensaje de voz del contacto');
  assert.equal(await textOf(page, '[data-testid="callback-attempt"]'), '1 de 3');
  assert.equal(await textOf(page, '[data-testid="callback-place-call"]'), 'Llamar ahora a +15550100077');
  assert.equal(await textOf(page, '[data-testid="callback-retry-later"]'), 'Reintentar más tarde');
  assert.ok((await page.locator('[data-testid="callback-panel"]').textContent()).includes('Transcripción del mensaje de voz'));
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'harness-strings-es-MX.png') });

  // agent-extensions: the supervisor's side link and view (no flexcore-server configured in this harness)
  const link = page.locator('[data-testid="side-link"]', { hasText: 'Extensiones de agentes' });
  await link.click();
  assert.equal(
    await textOf(page, '[data-testid="agent-extensions-not-configured"]'),
    'flexcore-server no está configurado (server_url).',
  );

  // And back to English.
  await switchLanguage(page, 'en-US');
  assert.equal(await page.evaluate(() => localStorage.getItem('TWILIO_FLEX_LOCALE_PREFERENCE')), 'en-US');
  await page.locator('[data-testid="segment-lookup-button"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="flexcore-segment-lookup"] h3'), 'Segment Lookup');
  assert.equal(await textOf(page, '[data-testid="segment-lookup-button"]'), 'Lookup');
  assert.equal(await page.locator('[data-testid="side-link"]', { hasText: 'Agent Extensions' }).count(), 1);

  assertCleanPage(ctx);
  await page.close();
});

test('?lang=es-MX opens the harness in Spanish (a Flex locale the plugin ships)', async () => {
  const ctx = await HarnessPage.openReady(session.browser, harness.url, { task: 'none', lang: 'es-MX' });
  const { page } = ctx;
  await page.locator('[data-testid="segment-lookup-button"]').waitFor();
  assert.equal(await textOf(page, '[data-testid="segment-lookup-button"]'), 'Buscar');
  assert.equal(await page.locator('[data-testid="harness-language"]').inputValue(), 'es-MX');
  assertCleanPage(ctx);
  await page.close();
});
