// Hang up by and conversations merges through the facade (node flavour).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError } = require('../dist/node/index.js');
const CUSTOMER = 'CA' + '1'.repeat(32);
const WORKER = 'CA' + '2'.repeat(32);
const attributes = (hangUpBy) => ({
  name: 'caller',
  conference: { sid: 'CF' + 'a'.repeat(32), participants: { customer: CUSTOMER, worker: WORKER } },
  ...(hangUpBy ? { conversations: { hang_up_by: hangUpBy } } : {}),
});

test('decideHangUpBy follows the decision table', async () => {
  const core = await loadCore();
  const wrapup = (attrs, ending, conferenceFound) =>
    core.decideHangUpBy({ eventType: 'task.wrapup', taskChannel: 'voice', attributes: attrs, callSidEndingConference: ending, conferenceFound });
  assert.deepEqual(wrapup(attributes(), CUSTOMER), { write: true, value: 'customer', reason: 'customer-ended' });
  assert.deepEqual(wrapup(attributes('agent'), WORKER), { write: false, reason: 'agent-already-recorded' });
  assert.deepEqual(wrapup(attributes(), WORKER), { write: true, value: 'disconnect', reason: 'agent-disconnected' });
  assert.deepEqual(wrapup(attributes(), null), { write: false, reason: 'conference-in-progress' });
  assert.deepEqual(wrapup(attributes(), null, false), { write: false, reason: 'conference-not-found' });
  assert.deepEqual(wrapup({ name: 'x' }, CUSTOMER), { write: false, reason: 'no-conference' });
  assert.equal(core.decideHangUpBy({ eventType: 'task.created', taskChannel: 'voice', attributes: '{', callSidEndingConference: null }).reason, 'ignored-event');
  assert.throws(() => wrapup('[1]', CUSTOMER), (e) => e instanceof CoreError && e.code === 'InvalidArgument');
  assert.throws(() => wrapup(attributes(), 42), (e) => e instanceof CoreError && /callSidEndingConference/.test(e.message));
});

test('mergeConversations keeps the attributes text byte for byte outside the patched keys', async () => {
  const core = await loadCore();
  const text = '{ "b": 1.50, "conversations": {"x": "\\u00e9"} }';
  assert.equal(core.mergeConversations(text, { hang_up_by: 'agent' }), '{ "b": 1.50, "conversations": {"x": "\\u00e9","hang_up_by":"agent"} }');
  assert.deepEqual(JSON.parse(core.mergeConversations({ a: 1 }, { conversation_id: 'WT1' })), { a: 1, conversations: { conversation_id: 'WT1' } });
  assert.throws(() => core.mergeConversations([], {}), (e) => e instanceof CoreError && /attributes/.test(e.message));
  assert.throws(() => core.mergeConversations('{}', null), (e) => e instanceof CoreError && /patch/.test(e.message));
});

test('agentHangUpAttributes writes agent on voice tasks only', async () => {
  const core = await loadCore();
  assert.deepEqual(JSON.parse(core.agentHangUpAttributes({ conversations: null, k: 1 }, 'voice')), { conversations: { hang_up_by: 'agent' }, k: 1 });
  assert.equal(core.agentHangUpAttributes({ k: 1 }, 'chat'), null);
  assert.throws(() => core.agentHangUpAttributes('nope', 'voice'), (e) => e instanceof CoreError && e.code === 'InvalidArgument');
});
