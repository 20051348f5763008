/** Callback and voicemail (seed-behaviour section 4, with the issue-7 corrections). */
import { CoreError } from '../errors.js';
import { objectText, requireString, unwrap } from '../boundary.js';
import type { RawModule } from '../load.js';
import type { Attributes } from './hang-up-by.js';

/** A create-callback request's parameters as received (form/query values); null/undefined = absent. */
export type CallbackParams = Record<string, string | number | boolean | null | undefined>;

/** Clock and configuration for {@link CallbackApi.shapeCallbackTask}. */
export interface ShapeCallbackOptions {
  /** Now, as a Date or ISO-8601 UTC text ("2024-05-01T12:00:00.000Z"). */
  nowUtc: Date | string;
  /** The server's IANA time zone, stored as `callBackData.mainTimeZone`. Default "UTC". */
  timeZone?: string;
  /** Workflow used when the request names none (TWILIO_FLEX_CALLBACK_WORKFLOW_SID). */
  defaultWorkflowSid?: string;
}

/** The TaskRouter create-task parameters (upstream-contracts 3.1) a request becomes. */
export interface CallbackTask {
  /** `Attributes`: JSON text with the exact key order of seed-behaviour 4.3. */
  attributes: string;
  /** `WorkflowSid` (WW…). */
  workflowSid: string;
  /** `TaskChannel` (default "voice"). */
  taskChannel: string;
  /** `Priority`, 0…2^31-1 (default 0). */
  priority: number;
  /** `Timeout` in seconds, 1…1 209 600 (default 86 400). */
  timeout: number;
  /** `VirtualStartTime`: the original request time (ISO-8601 UTC, ms), never after now. */
  virtualStartTime: string;
  /** "callback" or "voicemail". */
  taskType: 'callback' | 'voicemail';
}

/** Options of {@link CallbackApi.callbackView}. */
export interface CallbackViewOptions {
  /** Maximum attempts (see {@link CallbackApi.maxAttemptsFromConfig}); default 3. */
  maxAttempts?: number;
  /** Now (shown when the task has no reception time). Default: the current time. */
  now?: Date | string;
  /** The agent's IANA zone; default the browser's (Intl). */
  agentTimeZone?: string;
}

/** What the TaskInfoPanel shows for a callback or voicemail task (seed-behaviour 4.5). */
export interface CallbackView {
  taskType: 'callback' | 'voicemail';
  /** "Callback Request" | "Contact Voicemail". */
  heading: string;
  description: string;
  /** callBackData.numberToCall (E.164). */
  contactPhone: string;
  numberToCallFrom: string;
  /** The reception instant, ISO-8601 UTC with ms; format it in `agentTimeZone` and `systemTimeZone`. */
  receivedUtc: string;
  agentTimeZone: string;
  /** callBackData.mainTimeZone (the server's zone). */
  systemTimeZone: string;
  /** This attempt (attempts + 1). */
  attempt: number;
  maxAttempts: number;
  /** "<attempt> of <maxAttempts>". */
  attemptLabel: string;
  /** Whether "Retry Later" is offered (attempt < maxAttempts). */
  retryLaterOffered: boolean;
  /** "Place Call Now To <numberToCall>". */
  placeCallLabel: string;
  showRecording: boolean;
  recordingUrl: string | null;
  showTranscript: boolean;
  transcript: string | null;
  /** isDeleted is true or "true". */
  isDeleted: boolean;
}

/** The Flex task fields {@link CallbackApi.requeueParams} reads (ITask). */
export interface RequeueTaskInput {
  /** The Task SID (WT…); Flex's `task.taskSid`. */
  taskSid: string;
  attributes: Attributes;
  workflowSid: string;
  /** Seconds; default 86400. */
  timeout?: number;
  /** Default 0. */
  priority?: number;
}

export interface CallbackApi {
  /**
   * Shapes a create-callback request into the TaskRouter task (seed-behaviour 4.2–4.4, corrected: attempts
   * a number, isDeleted a boolean, both transcription spellings, priority/timeout honoured, E.164 numbers,
   * VirtualStartTime from the original request time).
   * @throws {CoreError} `InvalidArgument` naming the field (missing numberToCall/numberToCallFrom/flexFlowSid,
   * bad numbers, attempts, timeout…); `NotConfigured` when no workflow is known.
   * @see wasm/core/include/flexcore/callback.h shape_callback_task
   */
  shapeCallbackTask(params: CallbackParams, options: ShapeCallbackOptions): CallbackTask;

  /**
   * The info panel view of a task, or null when it is not a callback/voicemail task.
   * @throws {CoreError} `InvalidArgument` when `attributes` is not a JSON object.
   * @see wasm/core/include/flexcore/callback.h callback_view
   */
  callbackView(attributes: Attributes, options?: CallbackViewOptions): CallbackView | null;

  /**
   * The form parameters of POST /callback/flex/create-callback for the next attempt (attempts + 1, original
   * utcDateTimeReceived, original conversation id). With `maxAttempts`, the last attempt is refused.
   * @throws {CoreError} `InvalidArgument` for other task types, bad SIDs, or no retry left.
   * @see wasm/core/include/flexcore/callback.h requeue_params
   */
  requeueParams(task: RequeueTaskInput, maxAttempts?: number): Record<string, string>;

  /**
   * StartOutboundCall task attributes for "Place Call Now" (JSON text): taskType "callback-outbound",
   * conversations.conversation_id kept or the task SID, autoClose, parentTask = reservation SID.
   * @throws {CoreError} `InvalidArgument` for bad SIDs or non-object attributes.
   * @see wasm/core/include/flexcore/callback.h outbound_call_attributes
   */
  outboundCallAttributes(attributes: Attributes, taskSid: string, reservationSid: string): string;

  /**
   * FLEX_APP_CALLBACK_RETRY_ATTEMPTS as a number: a positive integer up to 100, else 3.
   * @see wasm/core/include/flexcore/callback.h max_attempts_from_config
   */
  maxAttemptsFromConfig(text: string | number | undefined | null): number;
}

function isoOf(value: Date | string | undefined, name: string): string {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CoreError('InvalidArgument', `${name}: invalid Date`);
    return value.toISOString();
  }
  return requireString(value, name);
}

function defaultZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function finiteInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CoreError('InvalidArgument', `${name} must be an integer`);
  }
  return value;
}

export function bindCallback(raw: RawModule): CallbackApi {
  return {
    shapeCallbackTask(params, options) {
      if (options === null || typeof options !== 'object') throw new CoreError('InvalidArgument', 'options: expected an object');
      const task = unwrap(
        raw._shapeCallbackTask(
          objectText(params, 'params'),
          isoOf(options.nowUtc, 'nowUtc'),
          options.timeZone === undefined ? 'UTC' : requireString(options.timeZone, 'timeZone'),
          options.defaultWorkflowSid === undefined ? '' : requireString(options.defaultWorkflowSid, 'defaultWorkflowSid'),
        ),
      );
      return task as CallbackTask;
    },
    callbackView(attributes, options = {}) {
      const max = finiteInteger(options.maxAttempts, 3, 'maxAttempts');
      const view = unwrap(
        raw._callbackView(
          objectText(attributes, 'attributes'),
          Math.max(0, Math.min(max, 1000)),
          isoOf(options.now, 'now'),
          options.agentTimeZone === undefined ? defaultZone() : requireString(options.agentTimeZone, 'agentTimeZone'),
        ),
      );
      return view as CallbackView | null;
    },
    requeueParams(task, maxAttempts) {
      if (task === null || typeof task !== 'object') throw new CoreError('InvalidArgument', 'task: expected an object');
      const max = finiteInteger(maxAttempts, 0, 'maxAttempts');
      return unwrap(
        raw._requeueParams(
          requireString(task.taskSid, 'taskSid'),
          objectText(task.attributes, 'attributes'),
          task.workflowSid === undefined ? '' : requireString(task.workflowSid, 'workflowSid'),
          finiteInteger(task.timeout, 86400, 'timeout'),
          finiteInteger(task.priority, 0, 'priority'),
          Math.max(0, Math.min(max, 1000)),
        ),
      );
    },
    outboundCallAttributes: (attributes, taskSid, reservationSid) =>
      unwrap(
        raw._outboundCallAttributes(
          objectText(attributes, 'attributes'),
          requireString(taskSid, 'taskSid'),
          requireString(reservationSid, 'reservationSid'),
        ),
      ),
    maxAttemptsFromConfig: (text) =>
      unwrap(raw.maxAttemptsFromConfig(text === undefined || text === null ? '' : String(text))),
  };
}
