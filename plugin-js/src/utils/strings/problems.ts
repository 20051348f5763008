/**
 * Problems the core and flexcore-server report, said in the user's language (issue 9, "Strings").
 *
 * One home for each rule: the core decides WHAT is wrong — a machine-readable reason id (flexcore's `REASONS`,
 * C++ wasm/core/include/flexcore/reason.h) with named parameters, or for a server answer its error `code`
 * (flexcore's `ERROR_CODES`) — and the plugin decides HOW to say it:
 *
 * - each feature maps the reasons it can receive to keys of its own strings table (`<feature>/reasons.ts`), and
 *   {@link problemText} fills the key's `{{placeholders}}` from the reason's parameters (plus context the view
 *   adds, e.g. a worker's name);
 * - a server error is said with the shared table's sentence for its `code` ({@link serverErrorText}).
 *
 * Fallback, by design: a problem without a reason, with a reason the feature's map does not list (a newer core
 * than the plugin), or whose key is not registered in `manager.strings`, is shown with the core's English
 * message, exactly as the core wrote it — never a blank or a raw key. The strings tests make sure every reason
 * the current core can produce has a key in English and Spanish, so the fallback is only for version skew.
 */
import { StringTemplates as CoreStrings } from '../../core/strings';
import { text } from '.';

/** A feature's map from the core's reason ids to keys of its strings table. */
export type ReasonKeys<R extends string> = Readonly<Record<R, string>>;

/** A problem as the core reports it: the English message, and a reason with parameters when the core gives one. */
export interface ReasonedProblem {
  /** The core's English message (the fallback). */
  message: string;
  /** A reason id (flexcore `REASONS`), if any. */
  reason?: string;
  /** The reason's parameters (`{{name}}` placeholders of the mapped string). */
  params?: Readonly<Record<string, string>>;
}

const own = (keys: object, name: string): boolean => Object.prototype.hasOwnProperty.call(keys, name);

/**
 * The problem in the user's language: the text of `keys[problem.reason]` with `context` and the reason's
 * parameters as placeholders (the core's parameters win over `context` of the same name); the core's English
 * `message` when there is no reason, the reason is not in `keys`, or its key is not registered.
 */
export function problemText(
  keys: Readonly<Partial<Record<string, string>>>,
  problem: ReasonedProblem,
  context: Record<string, unknown> = {},
): string {
  const key = problem.reason !== undefined && own(keys, problem.reason) ? keys[problem.reason] : undefined;
  if (key === undefined) return problem.message;
  const said = text(key, { ...context, ...(problem.params ?? {}) });
  return said === key ? problem.message : said;
}

/**
 * flexcore-server's error codes (its JSON error bodies `{"error", "code"}`, architecture.md "Errors, one
 * vocabulary") → the shared strings that say them, and whether the server's own message adds information the
 * user needs and is shown after the sentence as a detail:
 * - detail shown: the message names the field, the item or the setting involved (InvalidArgument, NotFound,
 *   AlreadyExists, Conflict, PayloadTooLarge, NotConfigured, UpstreamError) — it stays in English (it comes
 *   from the server's logs' vocabulary) and is what a supervisor or an administrator acts on;
 * - detail omitted: the sentence already says all the user can act on (Unauthenticated, PermissionDenied,
 *   ResourceExhausted, Unavailable, DeadlineExceeded, Internal — the request id in the server log serves
 *   support better than an English internal message).
 */
export const SERVER_ERROR_KEYS: Readonly<Record<string, { key: string; detail: boolean }>> = {
  InvalidArgument: { key: CoreStrings.ServerInvalidArgument, detail: true },
  NotFound: { key: CoreStrings.ServerNotFound, detail: true },
  AlreadyExists: { key: CoreStrings.ServerAlreadyExists, detail: true },
  Conflict: { key: CoreStrings.ServerConflict, detail: true },
  PermissionDenied: { key: CoreStrings.ServerPermissionDenied, detail: false },
  Unauthenticated: { key: CoreStrings.ServerUnauthenticated, detail: false },
  PayloadTooLarge: { key: CoreStrings.ServerPayloadTooLarge, detail: true },
  ResourceExhausted: { key: CoreStrings.ServerResourceExhausted, detail: false },
  NotConfigured: { key: CoreStrings.ServerNotConfigured, detail: true },
  Unavailable: { key: CoreStrings.ServerUnavailable, detail: false },
  UpstreamError: { key: CoreStrings.ServerUpstreamError, detail: true },
  DeadlineExceeded: { key: CoreStrings.ServerDeadlineExceeded, detail: false },
  Internal: { key: CoreStrings.ServerInternal, detail: false },
};

/** The HTTP status flexcore-server answers for each code (its ErrorCode → status table), for bodies without a code. */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'InvalidArgument',
  401: 'Unauthenticated',
  403: 'Unauthenticated',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  429: 'ResourceExhausted',
  500: 'Internal',
  502: 'UpstreamError',
  503: 'Unavailable',
  504: 'DeadlineExceeded',
};

/** A flexcore-server error answer: HTTP status, and the `code` / `error` members of its JSON body when present. */
export interface ServerErrorAnswer {
  status: number;
  code?: string;
  message?: string;
}

/**
 * A flexcore-server error answer in the user's language: the shared sentence for its `code` (or, without a
 * known code, for the code its HTTP status stands for), followed by the server's message where it adds
 * information (see {@link SERVER_ERROR_KEYS}); "the server answered HTTP <status>" for anything else, with the
 * message when there is one.
 * @param overrides a feature's own sentence for a code where it can say more than the shared one (e.g. segment
 *   lookup's NotFound: "not indexed in Flex Insights yet"), with whether the server's message is still shown
 */
export function serverErrorText(
  { status, code, message }: ServerErrorAnswer,
  overrides: Readonly<Partial<Record<string, { key: string; detail: boolean }>>> = {},
): string {
  const known = (code !== undefined && own(SERVER_ERROR_KEYS, code) ? code : undefined) ?? CODE_OF_STATUS[status];
  const detail = typeof message === 'string' ? message.trim() : '';
  if (known === undefined || !own(SERVER_ERROR_KEYS, known)) {
    return detail === '' ? text(CoreStrings.ServerStatus, { status }) : text(CoreStrings.ServerStatusWithDetail, { status, detail });
  }
  const entry = (own(overrides, known) ? overrides[known] : undefined) ?? SERVER_ERROR_KEYS[known];
  const sentence = text(entry.key, { status });
  return entry.detail && detail !== '' ? text(CoreStrings.ServerErrorWithDetail, { sentence, detail }) : sentence;
}
