// Page object: a blank chromium page that runs the Catch2 core suite compiled for the web
// (MODULARIZE factory `createCoreTests`, INVOKE_RUN=0, `callMain` exported) and hands back its report.
import { readFile } from 'node:fs/promises';

/**
 * One Catch2 test case as the XML reporter describes it.
 * @typedef {{name: string, tags: string, success: boolean, messages: string[]}} CoreTestCase
 */

/**
 * The run's outcome.
 * @typedef {{exitCode: number, stdout: string[], stderr: string[], cases: CoreTestCase[],
 *            totals: {cases: {passed: number, failed: number}, assertions: {passed: number, failed: number}}}} CoreSuiteRun
 */

export class CoreSuitePage {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  /**
   * Load the suite's JS into the page (as a classic script, like any page would) and run main once.
   * @param {string} suitePath  core-tests.web.js on disk
   * @param {string[]} args     Catch2 command line, e.g. ['--use-colour', 'no', '--reporter', 'xml', '~[native-only]']
   * @returns {Promise<{exitCode: number, stdout: string[], stderr: string[]}>}
   */
  async run(suitePath, args) {
    const source = await readFile(suitePath, 'utf8');
    await this.page.setContent('<!doctype html><html><head><title>flexcore core suite</title></head><body></body></html>');
    await this.page.addScriptTag({ content: source });
    return this.page.evaluate(async (argv) => {
      const stdout = [];
      const stderr = [];
      if (typeof globalThis.createCoreTests !== 'function') {
        throw new Error('createCoreTests factory not defined by core-tests.web.js');
      }
      const mod = await globalThis.createCoreTests({
        print: (line) => stdout.push(String(line)),
        printErr: (line) => stderr.push(String(line)),
      });
      if (typeof mod.callMain !== 'function') throw new Error('callMain is not exported by core-tests.web.js');
      const exitCode = mod.callMain(argv);
      return { exitCode, stdout, stderr };
    }, args);
  }
}

const attr = (text, name) => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(text);
  return m ? m[1] : undefined;
};
const unescapeXml = (s) =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Parse Catch2 v2's XML reporter output (`--reporter xml`) into test cases and totals.
 * Throws when the report is truncated (no closing `</Catch>`), which is how an abort in the middle shows.
 * @param {string} xml
 * @returns {{cases: CoreTestCase[], totals: CoreSuiteRun['totals']}}
 */
export function parseCatchXml(xml) {
  if (!/<\/Catch>\s*$/.test(xml)) throw new Error('Catch2 XML report is incomplete (no closing </Catch>)');
  const cases = [];
  const caseRe = /<TestCase\b([^>]*)>([\s\S]*?)<\/TestCase>/g;
  for (let m; (m = caseRe.exec(xml)); ) {
    const [, head, body] = m;
    const result = /<OverallResult\b([^>]*)\/>/.exec(body);
    if (!result) throw new Error(`Catch2 XML: test case without OverallResult: ${head}`);
    const messages = [];
    const exprRe = /<Expression\b[^>]*success="false"[^>]*>([\s\S]*?)<\/Expression>/g;
    for (let e; (e = exprRe.exec(body)); ) {
      const original = /<Original>\s*([\s\S]*?)\s*<\/Original>/.exec(e[1]);
      const expanded = /<Expanded>\s*([\s\S]*?)\s*<\/Expanded>/.exec(e[1]);
      messages.push(unescapeXml(`${original ? original[1] : '?'} with expansion ${expanded ? expanded[1] : '?'}`));
    }
    for (const tag of ['FatalErrorCondition', 'Exception', 'Failure']) {
      const re = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)<\\/${tag}>`, 'g');
      for (let e; (e = re.exec(body)); ) messages.push(`${tag}: ${unescapeXml(e[1].trim())}`);
    }
    cases.push({
      name: unescapeXml(attr(head, 'name') ?? ''),
      tags: unescapeXml(attr(head, 'tags') ?? ''),
      success: attr(result[1], 'success') === 'true',
      messages,
    });
  }
  const overall = /<OverallResults\b([^>]*)\/>\s*<OverallResultsCases\b([^>]*)\/>\s*<\/Catch>\s*$/.exec(xml);
  if (!overall) throw new Error('Catch2 XML: no OverallResults/OverallResultsCases at the end of the report');
  return {
    cases,
    totals: {
      assertions: { passed: Number(attr(overall[1], 'successes')), failed: Number(attr(overall[1], 'failures')) },
      cases: { passed: Number(attr(overall[2], 'successes')), failed: Number(attr(overall[2], 'failures')) },
    },
  };
}
