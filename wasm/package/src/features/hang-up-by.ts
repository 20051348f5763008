/** Hang up by (seed-behaviour section 5) and the `conversations` attribute merge it writes with. */
import { CoreError } from '../errors.js';
import { objectText, requireString, unwrap } from '../boundary.js';
import type { RawModule } from '../load.js';

/** Task attributes: the JSON text TaskRouter stores, or the parsed object Flex hands out. */
export type Attributes = string | Record<string, unknown>;

/** Facts about one TaskRouter event callback, for {@link HangUpByApi.decideHangUpBy}. */
export interface HangUpByEvent {
  /** `EventType`, e.g. "task.wrapup". */
  eventType: string;
  /** `TaskChannelUniqueName`, e.g. "voice". */
  taskChannel: string;
  /** The task's current attributes. */
  attributes: Attributes;
  /** The conference's `call_sid_ending_conference` (CA…); null while the conference is in progress. */
  callSidEndingConference: string | null;
  /** False when fetching the conference answered 404. Default true. */
  conferenceFound?: boolean;
}

/** Reasons {@link HangUpByApi.decideHangUpBy} reports. */
export type HangUpByReason =
  | 'ignored-event'
  | 'not-voice'
  | 'no-conference'
  | 'conference-not-found'
  | 'conference-in-progress'
  | 'customer-ended'
  | 'agent-already-recorded'
  | 'agent-disconnected';

/** The decision: write `value` to `conversations.hang_up_by`, or leave the task alone. */
export interface HangUpByDecision {
  write: boolean;
  value?: 'customer' | 'disconnect';
  reason: HangUpByReason;
}

export interface HangUpByApi {
  /**
   * What a TaskRouter event means for `conversations.hang_up_by` (seed-behaviour 5.4).
   * @throws {CoreError} `InvalidArgument` when `attributes` is not a JSON object (text or object).
   * @see wasm/core/include/flexcore/hang_up_by.h decide
   */
  decideHangUpBy(event: HangUpByEvent): HangUpByDecision;

  /**
   * Task attributes with only the `conversations` keys of `patch` changed; every other byte of the
   * attributes text kept (key order, spacing, numbers). Objects are serialised with JSON.stringify first.
   * @returns the new attributes as JSON text.
   * @throws {CoreError} `InvalidArgument` ("attributes: …" / "patch: …") for non-object input.
   * @see wasm/core/include/flexcore/task_attributes.h merge_conversations
   */
  mergeConversations(attributes: Attributes, patch: Record<string, unknown>): string;

  /**
   * For Flex's `beforeHangupCall`: the attributes with `conversations.hang_up_by = "agent"` merged in for
   * `voice` tasks (JSON text), or `null` for other channels (nothing to write).
   * @throws {CoreError} `InvalidArgument` when `attributes` is not a JSON object.
   * @see wasm/core/include/flexcore/hang_up_by.h agent_hang_up_attributes
   */
  agentHangUpAttributes(attributes: Attributes, taskChannel: string): string | null;
}

export function bindHangUpBy(raw: RawModule): HangUpByApi {
  return {
    decideHangUpBy(event) {
      if (event === null || typeof event !== 'object') throw new CoreError('InvalidArgument', 'event: expected an object');
      const ending = event.callSidEndingConference;
      if (ending !== null && ending !== undefined && typeof ending !== 'string') {
        throw new CoreError('InvalidArgument', 'callSidEndingConference: expected a call SID string or null');
      }
      const decision = unwrap(
        raw._decideHangUpBy(
          requireString(event.eventType, 'eventType'),
          requireString(event.taskChannel, 'taskChannel'),
          objectText(event.attributes, 'attributes'),
          event.conferenceFound !== false,
          typeof ending === 'string',
          typeof ending === 'string' ? ending : '',
        ),
      );
      return decision as HangUpByDecision;
    },
    mergeConversations: (attributes, patch) =>
      unwrap(raw._mergeConversations(objectText(attributes, 'attributes'), objectText(patch, 'patch'))),
    agentHangUpAttributes: (attributes, taskChannel) =>
      unwrap(raw._agentHangUpAttributes(objectText(attributes, 'attributes'), requireString(taskChannel, 'taskChannel'))),
  };
}
