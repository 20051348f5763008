// Headless Debian chromium through playwright-core. No browser is ever downloaded: the executable is
// the distribution's /usr/bin/chromium (override with FLEXCORE_CHROMIUM), every run gets a fresh
// profile directory, and the flags keep the browser off the network (only loopback pages are opened).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Flags for a quiet, offline, sandbox-free headless chromium (CI containers run as root). */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);

/**
 * Launch chromium with a fresh --user-data-dir.
 * @returns {Promise<{browser: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 *   `browser` is a persistent context (one profile per launch); `close()` closes it and deletes the profile.
 */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.FLEXCORE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 800 },
  });
  return {
    browser: context,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collect what a page reports to its console and its uncaught errors, for assertions and for failure messages.
 * @param {import('playwright-core').Page} page
 */
export function recordPageErrors(page) {
  const errors = [];
  const console = [];
  page.on('pageerror', (err) => errors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => console.push(`[${msg.type()}] ${msg.text()}`));
  return { errors, console };
}

/**
 * Console errors that are expected under the harness CSP (default-src 'self'):
 * - the Paste theme's web fonts on assets.twilio.com are blocked (the page never leaves loopback);
 * - emscripten 3.1.6's web loader first tries fetch() on the inlined data: URI of the wasm, which
 *   connect-src 'self' blocks; it then decodes the base64 itself (getBinaryPromise's fallback), so the core
 *   still loads. A host CSP without `connect-src data:` therefore costs two console lines, nothing else.
 * @param {string} line a console line as recordPageErrors() keeps it (`[error] …`)
 */
export const isExpectedConsoleError = (line) =>
  /Loading the font 'https:\/\/assets\.twilio\.com\//.test(line) ||
  /(Connecting to|Fetch API cannot load) '?data:application\/octet-stream;base64,AGFzbQ/.test(line);
