/**
 * Test helpers for the plugin's strings: every strings table (shared core + each feature's), and a
 * registration of all of them in a manager, as the feature loader does at plugin init.
 */
import { stringHook as coreStringHook } from '../core/strings';
import { FEATURES } from '../utils/feature-loader';
import { registerStrings, type Locale, type StringsManager, type StringTable } from '../utils/strings';

/** Every strings table of the plugin by owner ('core' for the shared components, else the feature name). */
export function allStringTables(): Record<string, StringTable> {
  const tables: Record<string, StringTable> = { core: coreStringHook() };
  for (const feature of FEATURES) if (feature.strings) tables[feature.name] = feature.strings();
  return tables;
}

/** Registers every table in `manager.strings` for `locale` (existing values kept, as in Flex). */
export function registerAllStrings(manager: StringsManager, locale: Locale = 'en-US'): void {
  for (const [owner, table] of Object.entries(allStringTables())) registerStrings(manager, owner, table, locale);
}
