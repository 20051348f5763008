// Prints a wrk Lua script that POSTs one correctly signed TaskRouter event callback (an event the
// hang-up-by route ignores: task.created on the voice channel) to URL.
// Usage: node signed-event.mjs URL AUTH_TOKEN
import { createHmac } from 'node:crypto';

const [url, authToken] = process.argv.slice(2);
if (!url || !authToken) {
  console.error('usage: node signed-event.mjs URL AUTH_TOKEN');
  process.exit(2);
}
const params = {
  EventType: 'task.created',
  EventDescription: 'Task WT0123456789abcdef0123456789abcdef created',
  AccountSid: 'AC00000000000000000000000000000000',
  WorkspaceSid: 'WS0123456789abcdef0123456789abcdef',
  WorkspaceName: 'Flex Task Assignment',
  ResourceType: 'task',
  ResourceSid: 'WT0123456789abcdef0123456789abcdef',
  Sid: 'EV0123456789abcdef0123456789abcdef',
  Timestamp: '1795000000',
  TaskSid: 'WT0123456789abcdef0123456789abcdef',
  TaskChannelUniqueName: 'voice',
  TaskAssignmentStatus: 'pending',
  TaskAttributes: JSON.stringify({
    name: 'Ada', from: '+15550100001', direction: 'inbound', call_sid: 'CA0123456789abcdef0123456789abcdef',
    conversations: { hang_up_by: 'Customer' },
  }),
};
// upstream-contracts 2.1: URL followed by every param name+value, sorted by name.
const payload = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
const signature = createHmac('sha1', authToken).update(payload, 'utf8').digest('base64');
const body = new URLSearchParams(params).toString();
const lua = (s) => JSON.stringify(s);  // a JSON string is a valid Lua string literal here (ASCII only)
process.stdout.write(`wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Twilio-Signature"] = ${lua(signature)}
wrk.body = ${lua(body)}
`);
