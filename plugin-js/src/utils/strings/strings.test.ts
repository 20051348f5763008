// The strings tables and their use, checked mechanically:
// - every table has the same keys in English and Spanish, no empty text, the same {{placeholders}};
// - every `StringTemplates.X` a source file uses exists in the table it imports, and every key is used;
// - no hard-coded user-visible text is left in the plugin's components (JSX text, text children, and the
//   attributes users see or hear: aria-label, title, placeholder, label, alt), found by parsing every
//   source file with the TypeScript compiler;
// - every reason the core can give (flexcore REASONS / SID_REASONS) and every error code of flexcore-server
//   (ERROR_CODES) has a key, in English and Spanish, in the table of each feature that shows it;
// plus the helper itself (locale matching, substitution, registration where existing values win, problemText and
// serverErrorText with their English fallback).
import fs from 'fs';
import path from 'path';
import ts from 'typescript';

import { ERROR_CODES, REASONS, SID_REASONS } from 'flexcore';

import { allStringTables, registerAllStrings } from '../../test-utils/strings';
import { EXTENSION_REASON_KEYS } from '../../feature-library/agent-extensions/reasons';
import { CONFIG_REASON_KEYS, TASK_SID_REASON_KEYS as STATUS_TASK_SID_REASON_KEYS } from '../../feature-library/core-status/reasons';
import { CONFIG_REASONS } from '../configuration';
import { TASK_SID_REASON_KEYS as LOOKUP_TASK_SID_REASON_KEYS } from '../../feature-library/segment-lookup/reasons';
import { problemText, SERVER_ERROR_KEYS, serverErrorText } from './problems';
import { DEFAULT_LOCALE, matchLocale, registerStrings, resolveLocale, stringsFor, substitute, SUPPORTED_LOCALES, text } from '.';
import * as Flex from '@twilio/flex-ui';

const SRC = path.resolve(__dirname, '../..');

/** Every non-test source file of the plugin (src/**\/*.ts(x), without tests and test-utils). */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'test-utils' && entry.name !== '__tests__') walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(full);
      }
    }
  };
  walk(SRC);
  return out.sort();
}

const parse = (file: string) =>
  ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

const placeholders = (value: string) => (value.match(/\{\{\{?\s*[\w.]+\s*\}?\}\}/g) ?? []).map((p) => p.replace(/[{}\s]/g, '')).sort();

describe('strings tables', () => {
  const tables = allStringTables();

  it('exist for the shared components and every feature that shows text', () => {
    expect(Object.keys(tables).sort()).toEqual(
      ['agent-extensions', 'callback-and-voicemail', 'core', 'core-status', 'customer-context', 'segment-lookup'].sort(),
    );
  });

  it.each(Object.entries(allStringTables()))('%s: English and Spanish have the same keys, texts and placeholders', (_owner, table) => {
    expect(Object.keys(table).sort()).toEqual([...SUPPORTED_LOCALES].sort());
    const en = table['en-US'];
    const es = table['es-MX'];
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(key).toMatch(/^Flexcore[A-Z][A-Za-z]+$/);
      expect(typeof en[key]).toBe('string');
      expect(en[key].trim()).not.toBe('');
      expect(es[key].trim()).not.toBe('');
      expect({ key, placeholders: placeholders(es[key]) }).toEqual({ key, placeholders: placeholders(en[key]) });
    }
  });

  it('never use one key in two tables', () => {
    const seen = new Map<string, string>();
    for (const [owner, table] of Object.entries(tables)) {
      for (const key of Object.keys(table['en-US'])) {
        expect({ key, owner: seen.get(key) ?? owner }).toEqual({ key, owner });
        seen.set(key, owner);
      }
    }
  });

  it('are written in Spanish, not copied from English (at most the brand names are identical)', () => {
    const identical: string[] = [];
    for (const table of Object.values(tables)) {
      for (const [key, en] of Object.entries(table['en-US'])) if (table['es-MX'][key] === en) identical.push(`${key}=${en}`);
    }
    // Same in both languages: the product names and pure placeholders.
    expect(identical.sort()).toEqual(
      [
        'FlexcoreCoreErrorTitle={{component}}: {{message}}',
        'FlexcoreCoreStatusServer=flexcore-server',
        'FlexcoreCoreStatusTabLabel=flexcore',
        'FlexcoreCoreStatusTitle=flexcore',
        'FlexcoreSegmentLookupError=Error: {{message}}',
      ].sort(),
    );
  });
});

/** The strings module each `StringTemplates` enum lives in → its table owner. */
const STRINGS_MODULES: Record<string, string> = {
  [path.join(SRC, 'core/strings.ts')]: 'core',
  [path.join(SRC, 'feature-library/core-status/flex-hooks/strings/index.ts')]: 'core-status',
  [path.join(SRC, 'feature-library/segment-lookup/flex-hooks/strings/index.ts')]: 'segment-lookup',
  [path.join(SRC, 'feature-library/customer-context/flex-hooks/strings/index.ts')]: 'customer-context',
  [path.join(SRC, 'feature-library/agent-extensions/flex-hooks/strings/index.ts')]: 'agent-extensions',
  [path.join(SRC, 'feature-library/callback-and-voicemail/flex-hooks/strings/index.ts')]: 'callback-and-voicemail',
};

/** enum member name → key, of the `StringTemplates` enum declared in `file`. */
function enumMembers(file: string): Map<string, string> {
  const members = new Map<string, string>();
  parse(file).forEachChild((node) => {
    if (ts.isEnumDeclaration(node) && node.name.text === 'StringTemplates') {
      for (const m of node.members) {
        if (m.initializer && ts.isStringLiteral(m.initializer)) members.set((m.name as ts.Identifier).text, m.initializer.text);
      }
    }
  });
  return members;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

describe('use of the strings', () => {
  const tables = allStringTables();

  it('every StringTemplates member a source uses is in its table, and every key of every table is used', () => {
    const used = new Set<string>();
    const missing: string[] = [];
    for (const file of sourceFiles()) {
      const sf = parse(file);
      // local name of an imported StringTemplates enum → module file
      const imported = new Map<string, string>();
      const own = STRINGS_MODULES[file] ? file : undefined;
      sf.forEachChild((node) => {
        if (!ts.isImportDeclaration(node) || !node.importClause?.namedBindings) return;
        const bindings = node.importClause.namedBindings;
        if (!ts.isNamedImports(bindings)) return;
        const target = resolveImport(file, (node.moduleSpecifier as ts.StringLiteral).text);
        for (const el of bindings.elements) {
          const importedName = (el.propertyName ?? el.name).text;
          if (importedName === 'StringTemplates' && target) imported.set(el.name.text, target);
        }
      });
      if (own) imported.set('StringTemplates', own);
      const visit = (node: ts.Node) => {
        if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && imported.has(node.expression.text)) {
          const module = imported.get(node.expression.text)!;
          const owner = STRINGS_MODULES[module];
          const key = enumMembers(module).get(node.name.text);
          const where = `${path.relative(SRC, file)}: ${node.expression.text}.${node.name.text}`;
          if (!owner) missing.push(`${where} (not a strings module: ${path.relative(SRC, module)})`);
          else if (!key || tables[owner]['en-US'][key] === undefined || tables[owner]['es-MX'][key] === undefined) missing.push(where);
          else used.add(key);
        }
        ts.forEachChild(node, visit);
      };
      // The enum declarations and the tables themselves are not uses.
      if (!own) visit(sf);
    }
    expect(missing).toEqual([]);
    const unused = Object.values(tables).flatMap((t) => Object.keys(t['en-US'])).filter((k) => !used.has(k));
    expect(unused).toEqual([]);
  });

  it('every StringTemplates enum has exactly the keys of its table', () => {
    for (const [file, owner] of Object.entries(STRINGS_MODULES)) {
      expect(Array.from(enumMembers(file).values()).sort()).toEqual(Object.keys(tables[owner]['en-US']).sort());
    }
  });

  /** Attributes whose value a user sees or hears. */
  const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'label', 'alt', 'aria-description']);
  const hasWords = (value: string) => /\p{L}{2,}/u.test(value);

  /** String literals with words anywhere inside `node` (template literals included). */
  function literalsWithWords(node: ts.Node): string[] {
    const found: string[] = [];
    const visit = (n: ts.Node) => {
      // Arguments of a call (e.g. text(Key, {...}), array lookups) and comparisons are not shown as such.
      if (ts.isCallExpression(n)) return;
      // Nested JSX is checked by the main visitor (its attributes are not all visible: data-testid, className…).
      if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) return;
      if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(n.operatorToken.kind)) return;
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && hasWords(n.text)) found.push(n.text);
      if (ts.isTemplateExpression(n)) {
        const parts = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
        if (hasWords(parts)) found.push(parts);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  /** Hard-coded visible text in one parsed file: `line: what`. */
  function hardCodedText(sf: ts.SourceFile): string[] {
    const violations: string[] = [];
    const report = (node: ts.Node, what: string) => {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
      violations.push(`${line + 1}: ${what}`);
    };
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node) && hasWords(node.text)) report(node, `JSX text ${JSON.stringify(node.text.trim())}`);
      if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
        for (const literal of literalsWithWords(node.expression)) report(node, `text child ${JSON.stringify(literal)}`);
      }
      if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(sf)) && node.initializer) {
        const init = node.initializer;
        if (ts.isStringLiteral(init) && hasWords(init.text)) report(node, `${node.name.getText(sf)}=${JSON.stringify(init.text)}`);
        if (ts.isJsxExpression(init) && init.expression) {
          for (const literal of literalsWithWords(init.expression)) report(node, `${node.name.getText(sf)}={${JSON.stringify(literal)}}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return violations;
  }

  /** Properties that carry text to the user (outcome messages, notification contents, labels…). */
  const TEXT_PROPERTIES = new Set(['message', 'title', 'label', 'content', 'text', 'detail', 'placeholder', 'description', 'heading']);

  /** Hard-coded text given to a text-carrying property of an object literal (`{ message: 'Request failed' }`). */
  function hardCodedProperties(sf: ts.SourceFile): string[] {
    const violations: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && TEXT_PROPERTIES.has(node.name.getText(sf))) {
        for (const literal of literalsWithWords(node.initializer)) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
          violations.push(`${line + 1}: ${node.name.getText(sf)}: ${JSON.stringify(literal)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return violations;
  }

  it('no source hands hard-coded text to the user through message/title/label/content… properties', () => {
    const tables = new Set(Object.keys(STRINGS_MODULES));
    const violations = sourceFiles()
      .filter((f) => !tables.has(f))
      .flatMap((file) => hardCodedProperties(parse(file)).map((v) => `${path.relative(SRC, file)}:${v}`));
    expect(violations).toEqual([]);
    const probe = ts.createSourceFile(
      'probe.ts',
      "const a = { message: `Request failed (HTTP ${s})`, content: StringTemplates.X, label: ok ? 'Yes' : text(K), id: 'Some id' };",
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    expect(hardCodedProperties(probe)).toEqual(['1: message: "Request failed (HTTP  )"', '1: label: "Yes"']);
  });

  it('no component shows hard-coded text (JSX text, text children, visible attributes)', () => {
    const violations = sourceFiles()
      .filter((f) => f.endsWith('.tsx'))
      .flatMap((file) => hardCodedText(parse(file)).map((v) => `${path.relative(SRC, file)}:${v}`));
    expect(violations).toEqual([]);
  });

  it('the hard-coded text check finds what it looks for (it cannot pass vacuously)', () => {
    const sample = [
      'export const A = () => <p title="Some title">Hello agent</p>;',
      "export const B = (x: boolean) => <span aria-label={x ? 'Open it' : 'Close it'}>{x ? 'Yes' : `No ${1} way`}</span>;",
      "export const C = (k: string) => <>{k ? <i data-testid=\"some-id\" className=\"big box\">{text(k, { n: 'ignored' })}</i> : <b>Bold words</b>}{k === 'update' ? null : k}</>;",
    ].join('\n');
    const sf = ts.createSourceFile('probe.tsx', sample, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    expect(hardCodedText(sf)).toEqual([
      '1: title="Some title"',
      '1: JSX text "Hello agent"',
      '2: aria-label={"Open it"}',
      '2: aria-label={"Close it"}',
      '2: text child "Yes"',
      '2: text child "No   way"',
      '3: JSX text "Bold words"',
    ]);
  });
});

describe('utils/strings', () => {
  it('matches Flex locale tags to a shipped locale (exact, then language, else en-US)', () => {
    expect(matchLocale('es-MX')).toBe('es-MX');
    expect(matchLocale('es-es')).toBe('es-MX');
    expect(matchLocale('es')).toBe('es-MX');
    expect(matchLocale('es_AR')).toBe('es-MX');
    expect(matchLocale('en-GB')).toBe('en-US');
    expect(matchLocale('ja-JP')).toBe(DEFAULT_LOCALE);
    expect(matchLocale(undefined)).toBe('en-US');
    expect(matchLocale(42)).toBe('en-US');
    expect(resolveLocale({ localization: { localeTag: 'es-MX' } })).toBe('es-MX');
    expect(resolveLocale({})).toBe('en-US');
  });

  it("substitutes Flex's {{placeholders}} (dotted paths, triple braces, missing → empty) as plain text", () => {
    expect(substitute('Page {{page}} of {{ total }}', { page: 2, total: 9 })).toBe('Page 2 of 9');
    expect(substitute('{{task.attributes.name}}!', { task: { attributes: { name: 'Ana' } } })).toBe('Ana!');
    expect(substitute('{{{html}}}', { html: '<b>x</b>' })).toBe('<b>x</b>');
    expect(substitute('a{{missing}}b', {})).toBe('ab');
    expect(substitute('{{n}}', { n: 0 })).toBe('0');
  });

  it('lays the user language over English, so a missing translation falls back to English', () => {
    const table = { 'en-US': { FlexcoreX: 'one', FlexcoreY: 'two' }, 'es-MX': { FlexcoreX: 'uno' } };
    expect(stringsFor(table, 'es-MX')).toEqual({ FlexcoreX: 'uno', FlexcoreY: 'two' });
    expect(stringsFor(table, 'en-US')).toEqual({ FlexcoreX: 'one', FlexcoreY: 'two' });
  });

  it('registers a table in manager.strings; a value already there (an administrator override) wins', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const manager = { strings: { FlexcoreX: 'admin text', TaskLineCallAssigned: 'Flex' } as Record<string, string> };
    const kept = registerStrings(manager, 'demo', { 'en-US': { FlexcoreX: 'one', FlexcoreY: 'two' }, 'es-MX': { FlexcoreX: 'uno', FlexcoreY: 'dos' } }, 'es-MX');
    expect(kept).toEqual(['FlexcoreX']);
    expect(manager.strings).toEqual({ FlexcoreX: 'admin text', FlexcoreY: 'dos', TaskLineCallAssigned: 'Flex' });
    expect(info).toHaveBeenCalledWith('[plugin-flexcore]', 'demo: registered 2 strings (es-MX); 1 overridden in manager.strings kept');
    info.mockRestore();
  });

  it('text() reads manager.strings at call time and returns the key when it is not registered', () => {
    const manager = (Flex as unknown as { __manager: { strings: Record<string, string> } }).__manager;
    manager.strings = { ...manager.strings, FlexcoreProbe: 'Hola {{name}}' };
    expect(text('FlexcoreProbe', { name: 'Ana' })).toBe('Hola Ana');
    expect(text('FlexcoreNoSuchKey')).toBe('FlexcoreNoSuchKey');
  });
});

/**
 * The reasons of `produced` that `keys` does not map to a key present in English and Spanish in `table`, as
 * "reason → key": what a user would see in English only.
 */
function unsaid(produced: readonly string[], keys: Readonly<Partial<Record<string, string>>>, table: { 'en-US': Record<string, string>; 'es-MX': Record<string, string> }): string[] {
  const keyOf = (reason: string) => (Object.prototype.hasOwnProperty.call(keys, reason) ? keys[reason] : undefined);
  return produced
    .filter((reason) => {
      const key = keyOf(reason);
      return key === undefined || table['en-US'][key] === undefined || table['es-MX'][key] === undefined;
    })
    .map((reason) => `${reason} → ${keyOf(reason) ?? '(none)'}`);
}

describe("the core's reasons and the server's codes have strings", () => {
  const tables = allStringTables();

  it('every reason of a Task SID check (SID_REASONS) is said by the Segment Lookup panel and the flexcore tab', () => {
    expect(unsaid(SID_REASONS, LOOKUP_TASK_SID_REASON_KEYS, tables['segment-lookup'])).toEqual([]);
    expect(unsaid(SID_REASONS, STATUS_TASK_SID_REASON_KEYS, tables['core-status'])).toEqual([]);
  });

  it('every reason the core can give an extension row problem (all of REASONS) is said by the Agent Extensions view', () => {
    // validateExtension can produce every reason of REASONS (package ExtensionProblem.reason); each field maps its own.
    const mapped = new Set(Object.values(EXTENSION_REASON_KEYS).flatMap((keys) => Object.keys(keys)));
    expect(REASONS.filter((reason) => !mapped.has(reason))).toEqual([]);
    for (const keys of Object.values(EXTENSION_REASON_KEYS)) {
      expect(unsaid(Object.keys(keys), keys, tables['agent-extensions'])).toEqual([]);
    }
    // The Worker SID field gets every reason of the SID check.
    expect(unsaid(SID_REASONS, EXTENSION_REASON_KEYS.workerSid, tables['agent-extensions'])).toEqual([]);
  });

  it("every reason of a configuration problem (the plugin's CONFIG_REASONS) is said by the flexcore tab", () => {
    expect(unsaid(CONFIG_REASONS, CONFIG_REASON_KEYS, tables['core-status'])).toEqual([]);
  });

  it('every error code of flexcore-server (ERROR_CODES) has a sentence in the shared table', () => {
    expect(Object.keys(SERVER_ERROR_KEYS).sort()).toEqual([...ERROR_CODES].sort());
    const keys = Object.fromEntries(Object.entries(SERVER_ERROR_KEYS).map(([code, entry]) => [code, entry.key]));
    expect(unsaid(ERROR_CODES, keys, tables.core)).toEqual([]);
  });

  it('the check reports a reason without a key (it cannot pass vacuously)', () => {
    const table = { 'en-US': { FlexcoreA: 'a', FlexcoreB: 'b' }, 'es-MX': { FlexcoreA: 'a' } };
    expect(unsaid(['one', 'two', 'three', 'constructor'], { one: 'FlexcoreA', two: 'FlexcoreB' }, table)).toEqual([
      'two → FlexcoreB',
      'three → (none)',
      'constructor → (none)',
    ]);
  });
});

describe('utils/strings/problems', () => {
  const keys = { too_long: 'FlexcoreAgentExtensionsProblemNameTooLong' };

  it("says a reason with its params in the user's language, and falls back to the core's English message", () => {
    const problem = { message: 'workerFullName must be at most 3 characters, got 5', reason: 'too_long', params: { maxLength: '3', length: '5' } };
    expect(problemText(keys, problem)).toBe('The agent name can have at most 3 characters; it has 5.');
    // Unknown reason (a newer core), no reason, a key nobody registered: the core's message as written.
    expect(problemText(keys, { ...problem, reason: 'too_wide' })).toBe(problem.message);
    expect(problemText(keys, { message: problem.message })).toBe(problem.message);
    expect(problemText({ too_long: 'FlexcoreNotRegistered' }, problem)).toBe(problem.message);
    expect(problemText(keys, { ...problem, reason: 'toString' })).toBe(problem.message);
    // Spanish.
    const manager = (Flex as unknown as { __manager: { strings: Record<string, string> } }).__manager;
    manager.strings = {};
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    registerAllStrings(manager, 'es-MX');
    info.mockRestore();
    expect(problemText(keys, problem)).toBe('El nombre del agente puede tener como máximo 3 caracteres; tiene 5.');
    expect(serverErrorText({ status: 409, code: 'Conflict', message: 'version 3 is stale' })).toBe(
      'Otra persona cambió esto al mismo tiempo; vuelva a cargar e inténtelo de nuevo. (detalle: version 3 is stale)',
    );
  });

  it('says a server error for its code (or status), with the message only where it adds information', () => {
    expect(serverErrorText({ status: 400, code: 'InvalidArgument', message: 'idType must be one of …' })).toBe(
      'flexcore-server rejected the request as invalid. (detail: idType must be one of …)',
    );
    expect(serverErrorText({ status: 503, code: 'NotConfigured', message: 'not configured: set SEGMENT_SPACE_ID' })).toBe(
      'flexcore-server is missing a setting this needs. (detail: not configured: set SEGMENT_SPACE_ID)',
    );
    expect(serverErrorText({ status: 403, code: 'Unauthenticated', message: 'token expired' })).toBe(
      'flexcore-server did not accept your Flex sign-in; sign in to Flex again.',
    );
    expect(serverErrorText({ status: 500, code: 'Internal', message: 'internal error' })).toBe('flexcore-server had an internal error.');
    // No code (plain-text body): the code its status stands for; an unknown code: likewise.
    expect(serverErrorText({ status: 404, message: 'Cannot GET /x' })).toBe('flexcore-server did not find what was asked for. (detail: Cannot GET /x)');
    expect(serverErrorText({ status: 429, code: 'SomethingNew' })).toBe('Too many requests right now; wait a moment and try again.');
    // A status flexcore-server does not use.
    expect(serverErrorText({ status: 418 })).toBe('flexcore-server answered HTTP 418.');
    expect(serverErrorText({ status: 418, message: ' teapot ' })).toBe('flexcore-server answered HTTP 418: teapot');
    // A feature's own sentence for a code.
    expect(serverErrorText({ status: 404, code: 'NotFound', message: 'x' }, { NotFound: { key: 'FlexcoreSegmentLookupNotIndexed', detail: false } })).toMatch(
      /^This task was not found in Flex Insights\./,
    );
  });
});
