/**
 * The core's reasons for a problem with an agent extension row (flexcore `ExtensionProblem.reason`, from
 * `core.validateExtension` in the editor and from flexcore-server's 400/409 `problems`) → this feature's strings
 * (flex-hooks/strings), per field. Said with utils/strings/problems `problemText`, the reason's params filling the
 * placeholders; a reason missing here (a newer core) shows the core's English message. strings.test.ts checks that
 * every reason the core produces has an entry for the field that produces it.
 */
import type { ExtensionProblem, Reason, SidReason } from 'flexcore';

import type { ReasonKeys } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/** Reasons of a workerFullName problem. */
export type NameReason = Extract<Reason, 'required' | 'invalid_utf8' | 'control_character' | 'too_long'>;
/** Reasons of an extensionNumber problem. */
export type ExtensionNumberReason = Extract<Reason, 'required' | 'not_digits' | 'too_few_digits' | 'too_many_digits' | 'taken'>;

/**
 * Field → reason → key. `taken` uses `{{number}}` and `{{worker}}` ("name (WK…)"), which the view passes as
 * context; the other keys use only the reason's params.
 */
export const EXTENSION_REASON_KEYS: {
  readonly workerFullName: ReasonKeys<NameReason>;
  readonly extensionNumber: ReasonKeys<ExtensionNumberReason>;
  readonly workerSid: ReasonKeys<SidReason>;
} = {
  workerFullName: {
    required: StringTemplates.ProblemNameRequired,
    invalid_utf8: StringTemplates.ProblemNameInvalidEncoding,
    control_character: StringTemplates.ProblemNameControlCharacter,
    too_long: StringTemplates.ProblemNameTooLong,
  },
  extensionNumber: {
    required: StringTemplates.ProblemExtensionRequired,
    not_digits: StringTemplates.ProblemExtensionNotDigits,
    too_few_digits: StringTemplates.ProblemExtensionTooFewDigits,
    too_many_digits: StringTemplates.ProblemExtensionTooManyDigits,
    taken: StringTemplates.ExtensionTaken,
  },
  workerSid: {
    required: StringTemplates.ProblemWorkerSidRequired,
    sid_wrong_length: StringTemplates.ProblemWorkerSidWrongLength,
    sid_wrong_prefix: StringTemplates.ProblemWorkerSidWrongPrefix,
    sid_not_hex: StringTemplates.ProblemWorkerSidNotHex,
  },
};

/** The reason → key map of a problem's field ({} for a field this plugin does not know: English fallback). */
export function reasonKeysFor(field: string): Readonly<Partial<Record<string, string>>> {
  return Object.prototype.hasOwnProperty.call(EXTENSION_REASON_KEYS, field)
    ? EXTENSION_REASON_KEYS[field as ExtensionProblem['field']]
    : {};
}
