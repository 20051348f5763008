/**
 * "Place Call Now" and "Retry Later" (seed-behaviour 4.5, with the issue-7 corrections). The rules live
 * in the core (outboundCallAttributes, requeueParams); this module only talks to Flex and flexcore-server.
 */
import type * as Flex from '@twilio/flex-ui';
import type { FlexCore } from 'flexcore';

import { logger } from '../../utils/logger';
import { text } from '../../utils/strings';
import { serverErrorText } from '../../utils/strings/problems';
import { NOTIFICATIONS } from './flex-hooks/notifications/Notifications';
import { StringTemplates } from './flex-hooks/strings';
import { rememberPlacedReservation } from './state';
import type { CallbackTaskLike } from './taskTypes';

/** What the actions need from the page; injectable for tests. */
export interface CallbackEnv {
  flex: Pick<typeof Flex, 'Actions' | 'Notifications'>;
  manager: Flex.Manager;
  core: FlexCore;
  /** flexcore-server base URL (no trailing slash). */
  serverUrl: string | undefined;
  /** Max attempts (core.maxAttemptsFromConfig of the configured value). */
  maxAttempts: number;
  fetch?: typeof fetch;
  /** Sleeps `ms` milliseconds (injected in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random integer in [low, high] (injected in tests). */
  random?: (low: number, high: number) => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const defaultRandom = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1));

/** True when some `serviceConfiguration.outbound_call_flows` entry is enabled (Flex outbound dialing). */
export function outboundDialingEnabled(manager: Flex.Manager): boolean {
  const flows = (manager.serviceConfiguration as { outbound_call_flows?: Record<string, { enabled?: boolean }> } | undefined)
    ?.outbound_call_flows;
  if (!flows || typeof flows !== 'object') return false;
  return Object.values(flows).some((flow) => flow !== null && typeof flow === 'object' && flow.enabled === true);
}

/** True when the worker's current activity is the service's offline activity. */
export function workerIsOffline(manager: Flex.Manager): boolean {
  const offline = (manager.serviceConfiguration as { taskrouter_offline_activity_sid?: string } | undefined)
    ?.taskrouter_offline_activity_sid;
  const state = manager.store?.getState?.() as { flex?: { worker?: { activity?: { sid?: string } } } } | undefined;
  const activity = state?.flex?.worker?.activity?.sid;
  return offline !== undefined && activity !== undefined && activity === offline;
}

/**
 * Starts the outbound call to the contact with the seed's attributes. Returns false when dialing is not
 * enabled (notification shown) or every attempt failed (6 in all; error notification shown).
 */
export async function placeCall(env: CallbackEnv, task: CallbackTaskLike): Promise<boolean> {
  if (!outboundDialingEnabled(env.manager)) {
    env.flex.Notifications.showNotification(NOTIFICATIONS.outboundDialingNotEnabled);
    return false;
  }
  const attributes = task.attributes ?? {};
  const data = (attributes.callBackData ?? {}) as Record<string, unknown>;
  const taskAttributes = JSON.parse(env.core.outboundCallAttributes(attributes, task.taskSid ?? '', task.sid ?? ''));
  rememberPlacedReservation(task.sid ?? '');
  const payload = {
    destination: String(data.numberToCall ?? ''),
    callerId: String(data.numberToCallFrom ?? ''),
    queueSid: task.queueSid,
    taskAttributes,
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    try {
      await env.flex.Actions.invokeAction('StartOutboundCall', payload);
      return true;
    } catch (error) {
      lastError = error;
    }
  }
  logger.error('callback: StartOutboundCall failed', lastError);
  env.flex.Notifications.showNotification(NOTIFICATIONS.error, { error: text(StringTemplates.OutboundCallFailed) });
  return false;
}

/**
 * Why a re-queue failed, for the notification, in the user's language: the sentence for the body's `code`
 * (`{"success":false,"message","code"}`), with the server's message where it adds information (serverErrorText).
 */
function describe(status: number, body: unknown): string {
  const record = (body ?? {}) as { message?: unknown; code?: unknown };
  const message = typeof record.message === 'string' ? record.message : '';
  const code = typeof record.code === 'string' ? record.code : undefined;
  return message === '' && code === undefined ? text(StringTemplates.ServerAnswered, { status }) : serverErrorText({ status, code, message });
}

/**
 * Re-queues the callback as the next attempt (POST /callback/flex/create-callback with the core's
 * requeueParams and the agent's Flex token), then wraps up the current task. 429 is retried up to 3
 * times after random(100, 750) + attempts × 100 ms. Returns the new Task SID, or undefined on failure
 * (error notification shown; the current task is left untouched).
 */
export async function retryLater(env: CallbackEnv, task: CallbackTaskLike): Promise<string | undefined> {
  const fail = (error: string) => {
    env.flex.Notifications.showNotification(NOTIFICATIONS.error, { error });
    return undefined;
  };
  if (!env.serverUrl) return fail(text(StringTemplates.ServerNotConfigured));
  let params: Record<string, string>;
  try {
    params = env.core.requeueParams(
      {
        taskSid: task.taskSid ?? '',
        attributes: task.attributes ?? {},
        workflowSid: task.workflowSid ?? '',
        timeout: task.timeout,
        priority: task.priority,
      },
      env.maxAttempts,
    );
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const form = new URLSearchParams({ Token: String(env.manager.user?.token ?? ''), ...params });
  const doFetch = env.fetch ?? fetch;
  const sleep = env.sleep ?? defaultSleep;
  const random = env.random ?? defaultRandom;
  for (let attempt = 0; ; attempt += 1) {
    let response: Response;
    try {
      response = await doFetch(`${env.serverUrl}/callback/flex/create-callback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    } catch (error) {
      return fail(text(StringTemplates.Unreachable, { reason: error instanceof Error ? error.message : String(error) }));
    }
    if (response.status === 429 && attempt < 3) {
      await sleep(random(100, 750) + attempt * 100);
      continue;
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const result = body as { success?: unknown; taskSid?: unknown } | null;
    if (!response.ok || result?.success !== true || typeof result.taskSid !== 'string') {
      return fail(describe(response.status, body));
    }
    await env.flex.Actions.invokeAction('WrapupTask', { sid: task.sid, task });
    return result.taskSid;
  }
}
