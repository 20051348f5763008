/**
 * The call to flexcore-server's `GET /get-segment-id` (seed-behaviour 1.6) and the reading of its answer.
 * The plugin renders; the server does the Insights calls; the core validates the Task SID before sending.
 * Messages come from the feature's strings table (flex-hooks/strings) in the user's language.
 */
import { text as localized } from '../../utils/strings';
import { serverErrorText } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/**
 * NotFound from /get-segment-id always means the seed's "External ID '<sid>' not found in Flex Insights. The task
 * may not be indexed yet (…)" (segment_lookup.h read_element_uris): said in the user's language, without the
 * English detail, which says nothing more.
 */
const SERVER_ERROR_OVERRIDES = { NotFound: { key: StringTemplates.NotIndexed, detail: false } };

/** What a lookup produced: the segment IDs, or the message to show. */
export type LookupOutcome = { ok: true; segmentIds: string[] } | { ok: false; message: string; status?: number };

/** The `fetch` this module needs (window.fetch satisfies it). */
export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/**
 * The request URL: `<serverUrl>/get-segment-id?TaskSid=<sid>&Token=<token>` (URLSearchParams encoding, as the seed).
 * @param serverUrl flexcore-server base URL without a trailing slash
 */
export function segmentLookupUrl(serverUrl: string, taskSid: string, token: string): string {
  const query = new URLSearchParams({ TaskSid: taskSid, Token: token });
  return `${serverUrl}/get-segment-id?${query.toString()}`;
}

/**
 * Reads a response body: JSON `{"segment_ids":[…]}` on success; on failure the sentence for the JSON body's `code`
 * (or for the HTTP status of a plain-text body: the 403 of Flex-token auth is `text/plain`, the seed's JSON-parse
 * bug is not reproduced) in the user's language, with the server's message where it adds information
 * (utils/strings/problems serverErrorText), or "Request failed (HTTP <status>)" when the body is empty.
 */
export function readLookupResponse(status: number, ok: boolean, body: string): LookupOutcome {
  let parsed: unknown;
  try {
    parsed = body === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  if (ok) {
    const ids = record?.segment_ids;
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return { ok: true, segmentIds: ids as string[] };
    return { ok: false, status, message: localized(StringTemplates.NoSegmentIdList) };
  }
  if (record && typeof record.error === 'string' && record.error !== '') {
    const code = typeof record.code === 'string' ? record.code : undefined;
    return { ok: false, status, message: serverErrorText({ status, code, message: record.error }, SERVER_ERROR_OVERRIDES) };
  }
  const text = body.trim();
  if (text !== '' && record === undefined) return { ok: false, status, message: serverErrorText({ status, message: text }) };
  return { ok: false, status, message: localized(StringTemplates.RequestFailed, { status }) };
}

/**
 * Looks up the segment IDs of `taskSid` (already trimmed and checked by the core).
 * Never throws: a network failure becomes `{ ok: false, message }`.
 */
export async function lookupSegments(
  fetchImpl: FetchLike,
  serverUrl: string,
  taskSid: string,
  token: string,
): Promise<LookupOutcome> {
  let response;
  try {
    response = await fetchImpl(segmentLookupUrl(serverUrl, taskSid, token), { method: 'GET', headers: { Accept: 'application/json' } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: localized(StringTemplates.Unreachable, { reason }) };
  }
  const body = await response.text().catch(() => '');
  return readLookupResponse(response.status, response.ok, body);
}

/** The parts of the Flex manager the token is read from (Flex.Manager satisfies it). */
export interface TokenSource {
  store?: { getState?: () => unknown };
  user?: { token?: unknown };
}

/**
 * The signed-in user's Flex token: `store.getState().flex.session.ssoTokenPayload.token` (what the seed reads),
 * else `manager.user.token`; undefined when neither is set.
 */
export function flexToken(manager: TokenSource | undefined): string | undefined {
  let state: unknown;
  try {
    state = manager?.store?.getState?.();
  } catch {
    state = undefined;
  }
  const session = (state as { flex?: { session?: { ssoTokenPayload?: { token?: unknown } } } } | undefined)?.flex?.session;
  const fromSession = session?.ssoTokenPayload?.token;
  if (typeof fromSession === 'string' && fromSession !== '') return fromSession;
  const fromUser = manager?.user?.token;
  return typeof fromUser === 'string' && fromUser !== '' ? fromUser : undefined;
}
