/**
 * Machine-readable reasons of the problems a user sees (issue 9, "Strings"; C++: wasm/core/include/flexcore/reason.h).
 * The core decides WHAT is wrong, an application decides HOW to say it: a {@link CoreError} from `checkSid` /
 * `checkTaskSid` and every {@link ExtensionProblem} of `validateExtension` carry, next to the English `message`,
 * a `reason` from {@link REASONS} and its `params` (strings, e.g. `{ maxLength: '256', length: '300' }`), which a
 * strings table can turn into a sentence in the user's language with `{{maxLength}}`-style placeholders.
 * Ids are stable (never renamed); new ids may be added, so keep the English `message` as the fallback.
 */

/**
 * Every reason id, in the C++ declaration order (`flexcore::kAllReasons`; the module's `reasons()` returns the
 * same list, checked by test/reasons.test.mjs). Parameters by id:
 * - `required`: the value is empty (after trimming, where the field is trimmed). No params.
 * - `too_long`: `maxLength` (Unicode code points allowed), `length` (given).
 * - `invalid_utf8`, `control_character` (U+0000–U+001F, U+007F): no params.
 * - `not_digits`: `character` — the first non-digit, printable ASCII as itself ("-"), else "U+XXXX".
 * - `too_few_digits`, `too_many_digits`: `minDigits`, `maxDigits`, `digits` (given).
 * - `taken`: `extensionNumber`, `conflictingWorkerSid`, `conflictingWorkerName` ("" when unknown).
 * - `sid_wrong_length`: `prefix` (e.g. "WT"), `length` (characters given; a SID has 34).
 * - `sid_wrong_prefix`, `sid_not_hex`: `prefix`.
 */
export const REASONS = [
  'required',
  'too_long',
  'invalid_utf8',
  'control_character',
  'not_digits',
  'too_few_digits',
  'too_many_digits',
  'taken',
  'sid_wrong_length',
  'sid_wrong_prefix',
  'sid_not_hex',
] as const;

/**
 * The reasons `checkSid` and `checkTaskSid` can give (C++ `flexcore::sid_reason`: `required` for an empty value,
 * then wrong length, wrong prefix, not hex). Checked against the module by test/reasons.test.mjs.
 */
export const SID_REASONS = ['required', 'sid_wrong_length', 'sid_wrong_prefix', 'sid_not_hex'] as const;

/** A reason of a SID check. */
export type SidReason = (typeof SID_REASONS)[number];

/** A reason id, e.g. `'sid_wrong_length'`. */
export type Reason = (typeof REASONS)[number];

/** The parameters of a reason, by name (values as text, numbers in decimal). */
export type ReasonParams = Readonly<Record<string, string>>;

/** True when `value` is one of {@link REASONS}. */
export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && (REASONS as readonly string[]).indexOf(value) >= 0;
}
