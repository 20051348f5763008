// Page object for the plugin harness (plugin-js/harness): a Flex agent desktop stand-in that loads the real
// plugin bundle. Selectors are the data-testids of the harness (task list, canvas, tabs) and of the plugin.
import assert from 'node:assert/strict';

import { recordPageErrors } from '../lib/browser.mjs';

export class HarnessPage {
  static selectors = {
    status: '[data-testid="harness-status"]',
    taskListItem: '[data-testid="task-list-item"]',
    canvas: '[data-testid="task-canvas"]',
    canvasTitle: '[data-testid="task-canvas-title"]',
    tab: '[data-testid="task-canvas-tab"]',
    coreStatusPanel: '[data-testid="flexcore-core-status"]',
    coreLoading: '[data-testid="flexcore-core-loading"]',
    coreVersion: '[data-testid="flexcore-core-version"]',
    taskSid: '[data-testid="flexcore-task-sid"]',
    verdict: '[data-testid="flexcore-task-sid-verdict"]',
    verdictMessage: '[data-testid="flexcore-task-sid-message"]',
    serverUrl: '[data-testid="flexcore-server-url"]',
    alert: '[data-testid="flexcore-alert"]',
  };

  /**
   * @param {import('playwright-core').Page} page
   * @param {string} baseUrl the harness URL printed by serve.mjs
   */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.requests = [];
    this.blockedRequests = [];
  }

  /**
   * Opens the harness in a new page of `browser` (the context of lib/browser.mjs launchBrowser()): records the
   * page's errors and console, guards the network, runs `prepare(page)` (e.g. extra `page.route`s), opens the
   * harness with `params` (URL parameters, see open()) and fails unless the plugin started ("ready").
   * @param {import('playwright-core').BrowserContext} browser
   * @param {string} baseUrl the harness URL printed by serve.mjs
   * @param {Record<string, string>} [params]
   * @param {{prepare?: (page: import('playwright-core').Page) => Promise<void>}} [options]
   * @returns {Promise<{page: import('playwright-core').Page, log: {errors: string[], console: string[]},
   *   harnessPage: HarnessPage, status: {state: string, text: string}}>}
   */
  static async openReady(browser, baseUrl, params = {}, { prepare } = {}) {
    const page = await browser.newPage();
    const log = recordPageErrors(page);
    const harnessPage = new HarnessPage(page, baseUrl);
    await harnessPage.guardNetwork();
    if (prepare) await prepare(page);
    const status = await harnessPage.open(params);
    assert.equal(status.state, 'ready', `harness did not start: ${status.text}\n${log.console.join('\n')}`);
    return { page, log, harnessPage, status };
  }

  /**
   * Records every request; aborts any that would leave loopback (the harness must work offline).
   */
  async guardNetwork() {
    await this.page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      this.requests.push(url);
      if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
      this.blockedRequests.push(url.href);
      return route.abort('blockedbyclient');
    });
  }

  /** Opens the harness with URL parameters (task, tab, csp) and waits until the plugin's init() ran. */
  async open(params = {}) {
    const url = new URL(this.baseUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    await this.page.goto(url.href);
    const status = this.page.locator(HarnessPage.selectors.status);
    await this.page.locator(`${HarnessPage.selectors.status}:not([data-state="loading"])`).waitFor();
    return { state: await status.getAttribute('data-state'), text: await status.textContent() };
  }

  /** Clicks a task in the task list (Flex's SelectTask) and waits for the canvas to show it. */
  async selectTask(taskSid) {
    await this.page.locator(`${HarnessPage.selectors.taskListItem}[data-task-sid="${taskSid}"]`).click();
    await this.page.locator(`${HarnessPage.selectors.canvas}[data-task-sid="${taskSid}"]`).waitFor();
  }

  /** Clicks a task canvas tab by its uniqueName. */
  async openTab(uniqueName) {
    await this.page.locator(`${HarnessPage.selectors.tab}[data-tab-name="${uniqueName}"]`).click();
  }

  /** Tab names in display order. */
  async tabNames() {
    return this.page.locator(HarnessPage.selectors.tab).evaluateAll((els) => els.map((e) => e.dataset.tabName));
  }

  /**
   * Waits until the flexcore panel has left its loading state, i.e. the core loaded (version shown) or failed
   * (error Alert shown). Returns which.
   */
  async waitForCore() {
    const s = HarnessPage.selectors;
    const settled = this.page.locator(`${s.coreStatusPanel} ${s.coreVersion}, ${s.alert}`).first();
    await settled.waitFor();
    return (await this.page.locator(s.alert).count()) > 0 ? 'error' : 'ready';
  }

  /** What the "flexcore" tab shows: values computed by the wasm core in this page. */
  async coreStatus() {
    const s = HarnessPage.selectors;
    const text = async (selector) => {
      const loc = this.page.locator(selector);
      return (await loc.count()) > 0 ? (await loc.first().textContent()).trim() : undefined;
    };
    return {
      version: await text(s.coreVersion),
      taskSid: await text(s.taskSid),
      verdict: await text(s.verdict),
      message: await text(s.verdictMessage),
      serverUrl: await text(s.serverUrl),
    };
  }

  /**
   * The machine-readable side of the "flexcore" tab's verdict on an invalid Task SID: the core's error code
   * (the badge's data-code) and reason (the message's data-reason); undefined members for a valid SID.
   */
  async coreVerdictCodes() {
    const s = HarnessPage.selectors;
    const attribute = async (selector, name) => {
      const loc = this.page.locator(selector);
      return (await loc.count()) > 0 ? ((await loc.first().getAttribute(name)) ?? undefined) : undefined;
    };
    return { code: await attribute(s.verdict, 'data-code'), reason: await attribute(s.verdictMessage, 'data-reason') };
  }

  /** The error Alert's text, or undefined when none is shown. */
  async alertText() {
    const alert = this.page.locator(HarnessPage.selectors.alert);
    return (await alert.count()) > 0 ? (await alert.first().innerText()).trim() : undefined;
  }
}
