/**
 * The plugin's call to flexcore-server `POST /fetch-persona` (server/README.md "Customer context";
 * seed-behaviour 2.7): form body `Token`, `idType`, `identifier`. The answer is classified into the states the
 * "Segment profile" section shows. The plugin's own messages come from the feature's strings table.
 */
import { text } from '../../utils/strings';
import { serverErrorText } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/** What the Segment section shows. */
export type PersonaResult =
  | { state: 'profile'; traits: Record<string, unknown>; events: unknown[] }
  /** 404: no Segment profile for the identifier (the server's message). */
  | { state: 'no-profile'; message: string }
  /** 503 NotConfigured: flexcore-server has no Segment settings; the section is hidden. */
  | { state: 'not-configured'; message: string }
  /** Anything else: network failure, 403 token, 5xx, malformed answer. */
  | { state: 'error'; message: string };

/** Fetches the persona; never rejects (failures are `{state:'error'}`). */
export type FetchPersona = (request: {
  serverUrl: string;
  token: string;
  idType: string;
  identifier: string;
}) => Promise<PersonaResult>;

/**
 * A failed answer in the user's language: the sentence for the JSON body's `code` (or for the HTTP status of the
 * plain-text Flex-token failure), with the server's message where it adds information (serverErrorText).
 */
function errorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; code?: unknown };
    if (parsed && typeof parsed.error === 'string') {
      return serverErrorText({ status, code: typeof parsed.code === 'string' ? parsed.code : undefined, message: parsed.error });
    }
  } catch {
    // not JSON: the Flex-token failure is plain text
  }
  return serverErrorText({ status, message: body.trim().slice(0, 200) });
}

/** Classifies a /fetch-persona answer (exported for tests). */
export function classifyPersonaAnswer(status: number, body: string): PersonaResult {
  if (status === 200) {
    try {
      const parsed = JSON.parse(body) as { traits?: unknown; events?: unknown };
      const traits = parsed.traits;
      const events = parsed.events;
      if (traits !== null && typeof traits === 'object' && !Array.isArray(traits) && Array.isArray(events)) {
        return { state: 'profile', traits: traits as Record<string, unknown>, events };
      }
    } catch {
      // fall through
    }
    return { state: 'error', message: text(StringTemplates.MalformedPersona) };
  }
  if (status === 404) return { state: 'no-profile', message: errorMessage(status, body) };
  if (status === 503) {
    try {
      const parsed = JSON.parse(body) as { code?: unknown; error?: unknown };
      if (parsed.code === 'NotConfigured') return { state: 'not-configured', message: String(parsed.error) };
    } catch {
      // fall through
    }
  }
  return { state: 'error', message: errorMessage(status, body) };
}

/** The production FetchPersona over window.fetch. */
export const fetchPersona: FetchPersona = async ({ serverUrl, token, idType, identifier }) => {
  const body = new URLSearchParams({ Token: token, idType, identifier });
  try {
    const response = await fetch(`${serverUrl}/fetch-persona`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    return classifyPersonaAnswer(response.status, await response.text());
  } catch (error) {
    return { state: 'error', message: text(StringTemplates.Unreachable, { reason: error instanceof Error ? error.message : String(error) }) };
  }
};
