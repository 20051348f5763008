/**
 * The agent extensions routes of flexcore-server (server/README.md "Agent extensions"; seed-behaviour 3.3),
 * called with the signed-in user's Flex token. The plugin renders; the server stores; the core decides.
 */
import type { StoredExtensionRow } from 'flexcore';

import { text as localized } from '../../utils/strings';
import { serverErrorText } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/** `/admin/list`: the published set, its version and the draft rows (with updatedBy / updatedAt). */
export interface ExtensionsList {
  /** Rows of the deployed build (the Studio lookup answers from these). */
  data: StoredExtensionRow[];
  /** Asset version SID (ZN…) of the latest build; sent back with /admin/update. */
  version: string;
  /** false while another publish is between build and deploy. */
  versionIsDeployed: boolean;
  /** Every draft row. */
  draft: StoredExtensionRow[];
}

/** A draft row edit (/admin/extensions). */
export type DraftAction = 'create' | 'update' | 'delete';

/**
 * An error answer of flexcore-server: HTTP status, `code`, the message to show (in the user's language: see
 * {@link serverApi}), validation problems (each with the core's reason and params), and the server's own English
 * `error` text as `serverMessage`.
 */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: { field: string; message: string; code: string; reason?: string; params?: Record<string, string> }[] = [],
    readonly serverMessage: string = message,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** What the view needs from the server (an interface, so tests drive the view with an in-memory server). */
export interface ExtensionsApi {
  list(): Promise<ExtensionsList>;
  /** Creates, updates or deletes one draft row; resolves to the stored row. */
  save(action: DraftAction, entry: { workerSid: string; workerFullName?: string; extensionNumber?: string }): Promise<StoredExtensionRow>;
  /** Replaces the draft and prepares a build; rejects with a 409 ServerError on a stale version. */
  update(data: StoredExtensionRow[], version: string): Promise<{ buildSid: string }>;
  /** The build's status. */
  status(buildSid: string): Promise<'building' | 'completed' | 'failed'>;
  /** Deploys the build. */
  publish(buildSid: string): Promise<void>;
}

type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/**
 * The HTTP client: POST `<serverUrl><path>` with a JSON body carrying `Token` (upstream-contracts 1.1).
 * @param serverUrl flexcore-server base URL without a trailing slash
 * @param token returns the current Flex token (it is refreshed by Flex)
 * @throws {ServerError} for every non-2xx answer (status 0 when the server cannot be reached); its message is the
 *   sentence for the answer's `code` in the user's language, with the server's message where it adds information
 *   (utils/strings/problems serverErrorText)
 */
export function serverApi(serverUrl: string, token: () => string, fetchImpl: FetchLike = (u, i) => fetch(u, i)): ExtensionsApi {
  async function call<T>(path: string, body: Record<string, unknown>): Promise<T> {
    let response;
    try {
      response = await fetchImpl(`${serverUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...body, Token: token() }),
      });
    } catch (error) {
      throw new ServerError(0, 'Unavailable', localized(StringTemplates.Unreachable, { reason: error instanceof Error ? error.message : String(error) }));
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const e = (parsed ?? {}) as { error?: string; code?: string; problems?: ServerError['problems'] };
      const serverMessage = e.error ?? text;
      throw new ServerError(
        response.status,
        e.code ?? 'Error',
        serverErrorText({ status: response.status, code: e.code, message: serverMessage }),
        e.problems ?? [],
        serverMessage,
      );
    }
    return parsed as T;
  }
  return {
    list: () => call<ExtensionsList>('/admin/list', { pageSize: 1 }),
    save: async (action, entry) => (await call<{ entry: StoredExtensionRow }>('/admin/extensions', { action, entry })).entry,
    update: async (data, version) => {
      const rows = data.map(({ workerSid, workerFullName, extensionNumber }) => ({ workerSid, workerFullName, extensionNumber }));
      return { buildSid: (await call<{ buildSid: string }>('/admin/update', { data: rows, version })).buildSid };
    },
    status: async (buildSid) => (await call<{ buildStatus: 'building' | 'completed' | 'failed' }>('/admin/update-status', { buildSid })).buildStatus,
    publish: async (buildSid) => {
      await call('/admin/publish', { buildSid });
    },
  };
}

/** Outcome of {@link publishExtensions} (the seed's result codes 0, 2, 3). */
export type PublishResult = { result: 'published' } | { result: 'conflict' } | { result: 'failed'; message: string };

/** The step a publish is at, for the progress indicator. */
export type PublishStep = 'update' | 'building' | 'publish';

/**
 * update → poll update-status (bounded) → publish (seed-behaviour 3.5, CORRECT: 409 → conflict, at most
 * `maxPolls` status polls).
 * @param wait sleeps between polls (ms); injected so tests need no timers
 */
export async function publishExtensions(
  api: ExtensionsApi,
  draft: StoredExtensionRow[],
  version: string,
  options: { wait: (ms: number) => Promise<void>; pollMs?: number; maxPolls?: number; onStep?: (step: PublishStep, poll: number) => void },
): Promise<PublishResult> {
  const { wait, pollMs = 2000, maxPolls = 60, onStep = () => undefined } = options;
  try {
    onStep('update', 0);
    const { buildSid } = await api.update(draft, version);
    for (let poll = 1; ; poll++) {
      onStep('building', poll);
      const status = await api.status(buildSid);
      if (status === 'completed') break;
      if (status === 'failed') return { result: 'failed', message: localized(StringTemplates.BuildFailed) };
      if (poll >= maxPolls) return { result: 'failed', message: localized(StringTemplates.BuildTimedOut, { checks: maxPolls }) };
      await wait(pollMs);
    }
    onStep('publish', 0);
    await api.publish(buildSid);
    return { result: 'published' };
  } catch (error) {
    if (error instanceof ServerError && error.status === 409) return { result: 'conflict' };
    return { result: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
