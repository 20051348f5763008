/**
 * The plugin's user-visible strings, through Flex's own localization mechanism (`manager.strings`).
 *
 * Each feature ships ONE strings table (`feature-library/<feature>/flex-hooks/strings/index.ts`, the
 * flex-project-template convention): a `StringTemplates` enum of its keys and a `stringHook()` returning
 * `{ 'en-US': {...}, 'es-MX': {...} }`. Keys are PascalCase and namespaced like Flex's own strings
 * (`FlexcoreAgentExtensionsTitle`). The feature loader registers every enabled feature's table once at plugin
 * init with {@link registerStrings}:
 *
 * - the language is Flex's: `manager.localization.localeTag` (Flex UI 2.x language selection; the agent's
 *   choice is kept by Flex under localStorage `TWILIO_FLEX_LOCALE_PREFERENCE` and Flex reloads on a change),
 *   matched to a shipped locale by exact tag, then by language (`es-ES` → `es-MX`); anything else → `en-US`;
 * - the chosen locale's strings are laid over `en-US` (an incomplete translation falls back to English);
 * - **an existing `manager.strings` value wins over ours**: an administrator (or another plugin loaded
 *   first) who sets `manager.strings.FlexcoreAgentExtensionsTitle = '…'` keeps that text.
 *
 * Components read a string at render time with {@link text}, which substitutes Flex's Mustache-style
 * `{{placeholder}}` / `{{a.b}}` expressions from a context object. Values are inserted as plain text (React
 * escapes them); nothing is rendered as HTML.
 */
import * as Flex from '@twilio/flex-ui';

import { logger } from '../logger';

/** Flex's default locale tag (`DEFAULT_LOCALE_TAG` in @twilio/flex-ui). */
export const DEFAULT_LOCALE = 'en-US';

/** The locales every strings table ships, in the order of the harness' language switch. */
export const SUPPORTED_LOCALES = ['en-US', 'es-MX'] as const;

/** A shipped locale tag. */
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** One language's strings: key → text (may contain `{{placeholder}}` expressions). */
export type Strings = Record<string, string>;

/** A feature's strings table: every shipped locale, each with the same keys. */
export type StringTable = Record<Locale, Strings>;

/** A feature's string hook (flex-project-template `stringHook`): returns its table. */
export type StringHook = () => StringTable;

/** The parts of the Flex manager read and written here (Flex.Manager satisfies it). */
export interface StringsManager {
  strings?: unknown;
  localization?: { localeTag?: unknown } | undefined;
}

/**
 * The shipped locale for a Flex locale tag: exact match (case-insensitive), else the same language
 * (`es`, `es-ES` → `es-MX`), else `en-US`.
 */
export function matchLocale(tag: unknown): Locale {
  if (typeof tag !== 'string' || tag.trim() === '') return DEFAULT_LOCALE;
  const wanted = tag.trim().replace('_', '-').toLowerCase();
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0];
  return SUPPORTED_LOCALES.find((l) => l.toLowerCase().split('-')[0] === language) ?? DEFAULT_LOCALE;
}

/** The locale the plugin renders in: Flex's `manager.localization.localeTag`, matched by {@link matchLocale}. */
export function resolveLocale(manager: StringsManager | undefined): Locale {
  return matchLocale(manager?.localization?.localeTag);
}

/** The strings of `locale` laid over `en-US` (missing translations fall back to English). */
export function stringsFor(table: StringTable, locale: Locale): Strings {
  return { ...table[DEFAULT_LOCALE], ...(table[locale] ?? {}) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Registers a feature's strings table in `manager.strings` for the user's locale. Keys already present in
 * `manager.strings` are kept (administrator overrides win) and returned.
 * @param manager the Flex manager (its `strings` object is replaced by a merged copy, as Flex plugins do)
 * @param featureName for the log line
 * @param table the feature's table
 * @param locale default: {@link resolveLocale}(manager)
 * @returns the keys whose existing value was kept
 */
export function registerStrings(
  manager: StringsManager,
  featureName: string,
  table: StringTable,
  locale: Locale = resolveLocale(manager),
): string[] {
  const existing = isRecord(manager.strings) ? manager.strings : {};
  const ours = stringsFor(table, locale);
  const kept = Object.keys(ours).filter((key) => typeof existing[key] === 'string');
  manager.strings = { ...ours, ...existing };
  logger.info(
    `${featureName}: registered ${Object.keys(ours).length} strings (${locale})` +
      (kept.length > 0 ? `; ${kept.length} overridden in manager.strings kept` : ''),
  );
  return kept;
}

/** The value at a dotted path (`task.attributes.name`) of `context`, or undefined. */
function lookup(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[part];
  }
  return value;
}

/**
 * Flex's Mustache-style substitution: every `{{ path }}` (also `{{{ path }}}`) becomes the context value as
 * text; a missing value becomes '' (Handlebars' behaviour).
 */
export function substitute(template: string, context: Record<string, unknown> = {}): string {
  return template.replace(/\{\{\{?\s*([\w.]+)\s*\}?\}\}/g, (_match, path: string) => {
    const value = lookup(context, path);
    return value === undefined || value === null ? '' : String(value);
  });
}

/** `Flex.Manager.getInstance().strings`, or {} when Flex has no manager yet. */
function currentStrings(): Record<string, unknown> {
  try {
    const manager = Flex.Manager.getInstance() as unknown as StringsManager | undefined;
    return isRecord(manager?.strings) ? manager!.strings : {};
  } catch {
    return {};
  }
}

/**
 * The text of string `key` from Flex's `manager.strings`, with `{{placeholders}}` filled from `context`.
 * Returns the key itself when it is not registered (visible, and caught by the strings tests).
 */
export function text(key: string, context?: Record<string, unknown>): string {
  const template = currentStrings()[key];
  return typeof template === 'string' ? substitute(template, context) : key;
}
