/**
 * The harness as a live Flex desktop (issue 9): the page shows the signed-in worker's reservations from TaskRouter
 * (the flexcore-emulator) and a "Calls" strip (harness chrome, not Flex) makes the emulator play calls. The page
 * never talks to the emulator itself: it calls these routes of the harness server, which add the workspace /
 * worker SIDs and the account's Basic auth (FLEXCORE_HARNESS_AUTH_TOKEN stays in this process, never in a page,
 * a response or a log line).
 *
 * Routes (JSON in and out; errors are {"error": "<which field, what was expected>"} with a 4xx, or 502 when the
 * emulator does not answer):
 *   GET  /harness/live/tasks                               the worker's open reservations as Flex ITask-like objects
 *                                                           (GET …/Workers/{WK}/Reservations + GET …/Tasks/{WT} each)
 *   POST /harness/live/tasks/{WT}/reservations/{WR}        {"reservationStatus":"accepted"|"rejected"|"wrapping"|
 *                                                           "completed"} (Flex's AcceptTask, RejectTask, WrapupTask,
 *                                                           CompleteTask: POST …/Tasks/{WT}/Reservations/{WR}, what
 *                                                           the TaskRouter SDK's reservation.accept() … complete() do)
 *   POST /harness/live/calls                               {"from"?,"to"?,"attributes"?} → the emulator's POST
 *                                                           /__emulator/calls (a voice call for the signed-in worker:
 *                                                           attributes.targetWorker = --worker-sid unless given)
 *   POST /harness/live/calls/{WT}/hang-up                  {"party":"customer"|"worker"}
 *   POST /harness/live/voicemails                          {"from"?,"to"?,"transcription"?,"durationSeconds"?} →
 *                                                           POST /__emulator/voicemails (Studio → the server's
 *                                                           /callback/studio/create-callback, signed); answers the
 *                                                           recording and the server's answer (status, body parsed)
 *   POST /harness/live/studio/agent-extension              {"extension":"1234"} → a signed Studio GET of the
 *                                                           server's /agent-extensions?agentExt=… through
 *                                                           POST /__emulator/webhooks/send; answers {status, body}
 */

const SID = (prefix) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const FINAL_RESERVATION = new Set(['completed', 'rejected', 'canceled', 'timeout', 'rescinded']);
const FINAL_TASK = new Set(['completed', 'canceled']);

/** The Studio Flow the harness's voicemails come from (a fixed demo SID; the server only passes it on). */
export const HARNESS_FLEX_FLOW_SID = 'FW00000000000000000000000000000009';

/**
 * The caller of "Incoming call" unless the request names one: the demo data's customer carol-1001 (a Segment
 * profile with traits and events, scripts/lib/demo-stack.mjs) with the bot context a Studio bot leaves (issue 5).
 */
export const DEFAULT_INCOMING_CALL = Object.freeze({
  from: '+5581999990000',
  to: '+15550100001',
  attributes: {
    name: 'Carol Souza',
    userId: 'carol-1001',
    context: {
      intent: 'billing_question',
      customer: { tier: 'gold', address: { city: 'Recife' } },
      lastOrder: 'https://shop.example.com/orders/1001',
    },
  },
});

/** The voicemail of "Voicemail left" unless the request says otherwise. */
export const DEFAULT_VOICEMAIL = Object.freeze({
  from: '+15550100002',
  to: '+15550100001',
  transcription: 'Hi, this is Dan. Please call me back about my delivery.',
  durationSeconds: 4,
});

/**
 * Checks the live-mode options: {emulatorUrl, workspaceSid, workerSid, accountSid, authToken, serverUrl?,
 * serverPublicUrl?}. Throws Error naming the bad option.
 */
export function validateLive({ emulatorUrl, workspaceSid, workerSid, accountSid, authToken, serverUrl, serverPublicUrl }, validateUrl) {
  const base = validateUrl(emulatorUrl, '--emulator-url').href.replace(/\/+$/, '');
  if (!SID('WS').test(workspaceSid || '')) throw new Error('--workspace-sid must be WS followed by 32 hex digits (needed with --emulator-url)');
  if (!SID('WK').test(workerSid || '')) throw new Error('--worker-sid must be WK followed by 32 hex digits (needed with --emulator-url)');
  if (!SID('AC').test(accountSid || '')) throw new Error('--account-sid must be AC followed by 32 hex digits (needed with --emulator-url)');
  if (!authToken) throw new Error('FLEXCORE_HARNESS_AUTH_TOKEN must be set with --emulator-url');
  const publicUrl = serverPublicUrl ? validateUrl(serverPublicUrl, '--server-public-url').href.replace(/\/+$/, '') : undefined;
  return { base, workspaceSid, workerSid, accountSid, authToken, serverUrl, serverPublicUrl: publicUrl };
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readJson(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 65536) throw new HttpError(413, 'body too large (at most 64 KiB)');
  }
  if (body.trim() === '') return {};
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body must be a JSON object');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object');
  return value;
}

const optionalString = (body, name) => {
  if (body[name] === undefined) return undefined;
  if (typeof body[name] !== 'string' || body[name] === '') throw new HttpError(400, `${name} must be a non-empty string`);
  return body[name];
};

/**
 * Creates the live routes' handler.
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>}
 *   resolves true when the request was a live route (answered), false otherwise.
 */
export function createLiveRoutes(live, { log = () => {} } = {}) {
  const auth = `Basic ${Buffer.from(`${live.accountSid}:${live.authToken}`).toString('base64')}`;
  const workspacePath = `/taskrouter/v1/Workspaces/${live.workspaceSid}`;

  /** Calls the emulator; answers {status, text, json}. Network failures become 502. */
  async function upstream(method, path, { form, json, basic = false } = {}) {
    const headers = {};
    if (basic) headers.Authorization = auth;
    let body;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    } else if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(`${live.base}${path}`, { method, headers, body });
    } catch (error) {
      throw new HttpError(502, `the emulator at ${live.base} did not answer ${method} ${path.split('?')[0]}: ${error.message}`);
    }
    const text = await response.text();
    let parsed;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, json: parsed };
  }

  const expectOk = (answer, what) => {
    if (answer.status < 200 || answer.status > 299) {
      const detail = answer.json && answer.json.message ? answer.json.message : answer.json && answer.json.error ? answer.json.error : answer.text;
      throw new HttpError(answer.status >= 500 ? 502 : answer.status, `${what}: the emulator answered ${answer.status}: ${String(detail).trim()}`);
    }
    return answer.json;
  };

  let workflowSid;
  async function firstWorkflow() {
    if (workflowSid) return workflowSid;
    const list = expectOk(await upstream('GET', `${workspacePath}/Workflows`, { basic: true }), 'listing the workflows');
    const first = list && Array.isArray(list.workflows) ? list.workflows[0] : undefined;
    if (!first) throw new HttpError(409, `workspace ${live.workspaceSid} has no workflow to route calls with`);
    workflowSid = first.sid;
    return workflowSid;
  }

  /** Flex's ITask shape for a reservation and its task (status: see the page's harness.js). */
  function toTask(reservation, task) {
    let attributes = {};
    try {
      attributes = typeof task.attributes === 'string' ? JSON.parse(task.attributes) : task.attributes || {};
    } catch {
      attributes = {};
    }
    const reservationStatus = reservation.reservation_status;
    // Flex's agent desktop: a pending reservation rings; an accepted one is the agent's task in its assignment
    // state (assigned, then wrapping after the call); a reservation in wrap-up is wrapping.
    const status = reservationStatus === 'accepted' ? task.assignment_status : reservationStatus;
    return {
      taskSid: task.sid,
      sid: reservation.sid,
      workerSid: reservation.worker_sid,
      workspaceSid: task.workspace_sid,
      workflowSid: task.workflow_sid,
      queueName: task.task_queue_friendly_name || '',
      queueSid: task.task_queue_sid || undefined,
      taskChannelUniqueName: task.task_channel_unique_name,
      status,
      reservationStatus,
      taskStatus: task.assignment_status,
      priority: task.priority,
      timeout: task.timeout,
      age: task.age,
      dateCreated: task.date_created,
      dateUpdated: reservation.date_updated,
      attributes,
    };
  }

  async function listTasks() {
    const path = `${workspacePath}/Workers/${live.workerSid}/Reservations?PageSize=100`;
    const list = expectOk(await upstream('GET', path, { basic: true }), "listing the worker's reservations");
    const reservations = (list && list.reservations) || [];
    const open = reservations.filter((r) => !FINAL_RESERVATION.has(r.reservation_status));
    const tasks = [];
    for (const reservation of open) {
      const answer = await upstream('GET', `${workspacePath}/Tasks/${reservation.task_sid}`, { basic: true });
      if (answer.status === 404) continue; // deleted meanwhile
      const task = expectOk(answer, `fetching task ${reservation.task_sid}`);
      if (FINAL_TASK.has(task.assignment_status)) continue;
      tasks.push(toTask(reservation, task));
    }
    tasks.sort((a, b) => String(a.dateCreated).localeCompare(String(b.dateCreated)));
    return { workerSid: live.workerSid, workspaceSid: live.workspaceSid, tasks };
  }

  const requireServer = () => {
    if (!live.serverUrl) throw new HttpError(409, 'the harness was started without --server-url (flexcore-server)');
    return live.serverUrl;
  };

  async function route(req, url) {
    const parts = url.pathname.slice('/harness/live/'.length).split('/');
    const method = req.method;
    if (method === 'GET' && url.pathname === '/harness/live/tasks') return [200, await listTasks()];
    if (method !== 'POST') throw new HttpError(405, `${method} is not allowed on ${url.pathname}`);

    if (parts[0] === 'tasks') {
      const taskSid = parts[1] || '';
      if (!SID('WT').test(taskSid)) throw new HttpError(400, 'the Task SID must be WT followed by 32 hex digits');
      const body = await readJson(req);
      if (parts.length === 4 && parts[2] === 'reservations') {
        const reservationSid = parts[3];
        if (!SID('WR').test(reservationSid)) throw new HttpError(400, 'the Reservation SID must be WR followed by 32 hex digits');
        if (!['accepted', 'rejected', 'wrapping', 'completed'].includes(body.reservationStatus)) {
          throw new HttpError(400, 'reservationStatus must be "accepted", "rejected", "wrapping" or "completed"');
        }
        const answer = await upstream('POST', `${workspacePath}/Tasks/${taskSid}/Reservations/${reservationSid}`, {
          basic: true,
          form: { ReservationStatus: body.reservationStatus },
        });
        return [200, expectOk(answer, `setting reservation ${reservationSid} ${body.reservationStatus}`)];
      }
    }

    if (parts[0] === 'calls' && parts.length === 1) {
      const body = await readJson(req);
      const attributes = body.attributes === undefined ? DEFAULT_INCOMING_CALL.attributes : body.attributes;
      if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
        throw new HttpError(400, 'attributes must be a JSON object');
      }
      const call = {
        workspaceSid: live.workspaceSid,
        workflowSid: await firstWorkflow(),
        from: optionalString(body, 'from') || DEFAULT_INCOMING_CALL.from,
        to: optionalString(body, 'to') || DEFAULT_INCOMING_CALL.to,
        // The demo rings the signed-in worker (TaskRouter's known-worker routing on attributes.targetWorker)
        // rather than whichever of the workspace's workers the workflow would pick.
        attributes: { targetWorker: live.workerSid, ...attributes },
        channel: 'voice',
      };
      const answer = await upstream('POST', '/__emulator/calls', { json: call });
      return [201, expectOk(answer, 'starting the call')];
    }

    if (parts[0] === 'calls' && parts.length === 3 && parts[2] === 'hang-up') {
      const taskSid = parts[1];
      if (!SID('WT').test(taskSid)) throw new HttpError(400, 'the Task SID must be WT followed by 32 hex digits');
      const body = await readJson(req);
      if (!['customer', 'worker'].includes(body.party)) throw new HttpError(400, 'party must be "customer" or "worker"');
      const answer = await upstream('POST', `/__emulator/calls/${taskSid}/hang-up`, { json: { party: body.party } });
      return [200, expectOk(answer, `hanging up the ${body.party} of ${taskSid}`) ?? { taskSid, party: body.party }];
    }

    if (parts[0] === 'voicemails' && parts.length === 1) {
      const body = await readJson(req);
      const duration = body.durationSeconds === undefined ? DEFAULT_VOICEMAIL.durationSeconds : body.durationSeconds;
      if (!Number.isInteger(duration) || duration < 1 || duration > 300) {
        throw new HttpError(400, 'durationSeconds must be an integer from 1 to 300');
      }
      const voicemail = {
        url: `${requireServer()}/callback/studio/create-callback`,
        from: optionalString(body, 'from') || DEFAULT_VOICEMAIL.from,
        to: optionalString(body, 'to') || DEFAULT_VOICEMAIL.to,
        flexFlowSid: HARNESS_FLEX_FLOW_SID,
        transcription: optionalString(body, 'transcription') || DEFAULT_VOICEMAIL.transcription,
        durationSeconds: duration,
      };
      const answer = expectOk(await upstream('POST', '/__emulator/voicemails', { json: voicemail }), 'leaving the voicemail');
      // The emulator answers the recording and what flexcore-server answered Studio ({"success","taskSid"}).
      let server;
      try {
        server = answer && typeof answer.body === 'string' ? JSON.parse(answer.body) : answer && answer.body;
      } catch {
        server = answer.body;
      }
      return [201, { ...answer, body: server }];
    }

    if (parts[0] === 'studio' && parts[1] === 'agent-extension' && parts.length === 2) {
      const body = await readJson(req);
      const extension = body.extension;
      if (typeof extension !== 'string' || !/^\d{1,10}$/.test(extension)) {
        throw new HttpError(400, 'extension must be a string of 1 to 10 digits');
      }
      const server = requireServer();
      const webhook = {
        url: `${server}/agent-extensions`,
        method: 'GET',
        params: { agentExt: extension },
        ...(live.serverPublicUrl ? { signatureUrl: `${live.serverPublicUrl}/agent-extensions` } : {}),
      };
      const answer = expectOk(await upstream('POST', '/__emulator/webhooks/send', { json: webhook }), 'sending the Studio request');
      let parsed;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        parsed = undefined;
      }
      return [200, { extension, status: answer.status, body: parsed === undefined ? answer.body : parsed }];
    }
    throw new HttpError(404, `no harness live route ${method} ${url.pathname}`);
  }

  return async function handleLive(req, res, send) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith('/harness/live/')) return false;
    let status;
    let body;
    try {
      [status, body] = await route(req, url);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      body = { error: error.message };
    }
    if (status >= 400 || req.method !== 'GET') log(`${req.method} ${url.pathname} → ${status}`);
    send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
    return true;
  };
}
