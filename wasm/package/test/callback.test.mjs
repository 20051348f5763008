// Callback and voicemail through the facade (node flavour): the same core rules the server and plugin use.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError } = require('../dist/node/index.js');
const WORKFLOW = 'WW' + '0'.repeat(32);
const FLOW = 'FW' + '1'.repeat(32);
const TASK = 'WT' + 'a'.repeat(32);
const RESERVATION = 'WR' + 'b'.repeat(32);
const RECORDING = 'RE' + 'c'.repeat(32);
const NOW = '2024-05-01T12:00:00.000Z';
const base = { numberToCall: '+15550100000', numberToCallFrom: '+15550100001', flexFlowSid: FLOW };

test('shapeCallbackTask produces the seed attributes with the corrections', async () => {
  const core = await loadCore();
  const task = core.shapeCallbackTask({ ...base, attempts: '1', isDeleted: 'false', priority: 3, timeout: '600' },
    { nowUtc: new Date(NOW), timeZone: 'Europe/Paris', defaultWorkflowSid: WORKFLOW });
  assert.equal(task.attributes,
    `{"taskType":"callback","name":"Callback (+15550100000)","flow_execution_sid":"${FLOW}","message":null,` +
    '"callBackData":{"numberToCall":"+15550100000","numberToCallFrom":"+15550100001","attempts":1,' +
    '"mainTimeZone":"Europe/Paris","utcDateTimeReceived":"2024-05-01T12:00:00.000Z","isDeleted":false},' +
    '"direction":"inbound","conversations":{}}');
  assert.deepEqual({ ...task, attributes: undefined }, {
    attributes: undefined, workflowSid: WORKFLOW, taskChannel: 'voice', priority: 3, timeout: 600,
    virtualStartTime: NOW, taskType: 'callback',
  });
  const voicemail = core.shapeCallbackTask({ ...base, RecordingSid: RECORDING, transcriptText: 'hi' },
    { nowUtc: NOW, defaultWorkflowSid: WORKFLOW });
  assert.equal(voicemail.taskType, 'voicemail');
  assert.equal(JSON.parse(voicemail.attributes).callBackData.TranscriptionText, 'hi');
});

test('shapeCallbackTask refuses bad input with CoreError codes', async () => {
  const core = await loadCore();
  const opts = { nowUtc: NOW, defaultWorkflowSid: WORKFLOW };
  assert.throws(() => core.shapeCallbackTask({ numberToCall: '+15550100000' }, opts),
    (e) => e instanceof CoreError && e.code === 'InvalidArgument' && /Missing numberToCallFrom/.test(e.message) && /Missing flexFlowSid/.test(e.message));
  for (const bad of ['12345', '+1 (555) 010-0000', '%2B15550100000', 'abc']) {
    assert.throws(() => core.shapeCallbackTask({ ...base, numberToCall: bad }, opts), /numberToCall must be an E\.164/);
  }
  for (const attempts of ['-1', 'abc', '1e9']) {
    assert.throws(() => core.shapeCallbackTask({ ...base, attempts }, opts), /attempts must be/);
  }
  assert.throws(() => core.shapeCallbackTask(base, { nowUtc: NOW }), (e) => e.code === 'NotConfigured');
  assert.throws(() => core.shapeCallbackTask({ ...base, nested: { a: 1 } }, opts), (e) => e.code === 'InvalidArgument');
});

test('callbackView, requeueParams and outboundCallAttributes', async () => {
  const core = await loadCore();
  const first = core.shapeCallbackTask({ ...base, RecordingSid: RECORDING, RecordingUrl: 'https://example.com/r.mp3', conversation_id: 'conv-1',
    utcDateTimeReceived: '2024-04-30T08:00:00.000Z' }, { nowUtc: NOW, defaultWorkflowSid: WORKFLOW });
  const view = core.callbackView(first.attributes, { maxAttempts: 3, now: NOW, agentTimeZone: 'America/Chicago' });
  assert.equal(view.heading, 'Contact Voicemail');
  assert.equal(view.attemptLabel, '1 of 3');
  assert.equal(view.retryLaterOffered, true);
  assert.equal(view.showRecording, true);
  assert.equal(view.recordingUrl, 'https://example.com/r.mp3');
  assert.equal(view.receivedUtc, '2024-04-30T08:00:00.000Z');
  assert.equal(view.placeCallLabel, 'Place Call Now To +15550100000');
  assert.equal(core.callbackView({ taskType: 'chat' }), null);

  const params = core.requeueParams({ taskSid: TASK, attributes: first.attributes, workflowSid: WORKFLOW, timeout: 86400, priority: 0 }, 3);
  assert.equal(params.attempts, '1');
  assert.equal(params.conversation_id, 'conv-1');
  assert.equal(params.utcDateTimeReceived, '2024-04-30T08:00:00.000Z');
  assert.equal('priority' in params, false);
  const second = core.shapeCallbackTask(params, { nowUtc: NOW, defaultWorkflowSid: WORKFLOW });
  assert.equal(second.virtualStartTime, '2024-04-30T08:00:00.000Z');
  assert.equal(JSON.parse(second.attributes).callBackData.attempts, 1);

  const outbound = JSON.parse(core.outboundCallAttributes(first.attributes, TASK, RESERVATION));
  assert.equal(outbound.taskType, 'callback-outbound');
  assert.deepEqual(outbound.conversations, { conversation_id: 'conv-1' });
  assert.equal(outbound.parentTask, RESERVATION);
  assert.equal(core.maxAttemptsFromConfig('<FLEX_APP_CALLBACK_RETRY_ATTEMPTS>'), 3);
  assert.equal(core.maxAttemptsFromConfig(5), 5);
});
