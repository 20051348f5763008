import { flexToken, lookupSegments, readLookupResponse, segmentLookupUrl, type FetchLike } from './lookupSegments';

const SID = 'WT0123456789abcdef0123456789abcdef';

const answer = (status: number, body: string): ReturnType<FetchLike> =>
  Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) });

it('builds the seed URL with URLSearchParams encoding', () => {
  expect(segmentLookupUrl('http://127.0.0.1:3000', SID, 'a+b/c=')).toBe(
    `http://127.0.0.1:3000/get-segment-id?TaskSid=${SID}&Token=a%2Bb%2Fc%3D`,
  );
});

it('reads segment_ids, the JSON error, a plain-text 403 and an empty error body (errors in the user\'s language)', () => {
  expect(readLookupResponse(200, true, '{"segment_ids":["1","12,34"]}')).toEqual({ ok: true, segmentIds: ['1', '12,34'] });
  expect(readLookupResponse(200, true, '{"segment_ids":[]}')).toEqual({ ok: true, segmentIds: [] });
  expect(readLookupResponse(404, false, '{"error":"External ID not found","code":"NotFound"}')).toEqual({
    ok: false,
    status: 404,
    message: 'This task was not found in Flex Insights. It may not be indexed yet (by default about an hour after the conversation ends).',
  });
  // The sentence of the code, with the server's message where it names what is wrong.
  expect(readLookupResponse(400, false, '{"error":"TaskSid is required","code":"InvalidArgument"}')).toMatchObject({ message: 'flexcore-server rejected the request as invalid. (detail: TaskSid is required)' });
  expect(readLookupResponse(503, false, '{"error":"GoodData is unreachable: connect ECONNREFUSED","code":"Unavailable"}')).toMatchObject({ message: 'A service flexcore-server needs is unavailable; try again later.' });
  // The plain-text 403 of Flex-token auth: said for its status.
  expect(readLookupResponse(403, false, 'Invalid Access Token')).toEqual({
    ok: false,
    status: 403,
    message: 'flexcore-server did not accept your Flex sign-in; sign in to Flex again.',
  });
  // A status flexcore-server does not use: the status and the body.
  expect(readLookupResponse(418, false, 'teapot')).toMatchObject({ message: 'flexcore-server answered HTTP 418: teapot' });
  expect(readLookupResponse(502, false, '')).toEqual({ ok: false, status: 502, message: 'Request failed (HTTP 502)' });
  expect(readLookupResponse(200, true, '<html>')).toEqual({
    ok: false,
    status: 200,
    message: 'The server answered without a segment_ids list',
  });
  expect(readLookupResponse(200, true, '{"segment_ids":[1]}').ok).toBe(false);
});

it('sends GET to the server and never throws on a network failure', async () => {
  const fetchImpl = jest.fn(() => answer(200, '{"segment_ids":["7"]}'));
  await expect(lookupSegments(fetchImpl, 'http://s', SID, 'tok')).resolves.toEqual({ ok: true, segmentIds: ['7'] });
  expect(fetchImpl).toHaveBeenCalledWith(`http://s/get-segment-id?TaskSid=${SID}&Token=tok`, {
    method: 'GET',
    headers: { Accept: 'application/json' },
  });
  const failing = jest.fn(() => Promise.reject(new TypeError('Failed to fetch')));
  await expect(lookupSegments(failing, 'http://s', SID, 'tok')).resolves.toEqual({
    ok: false,
    message: 'Could not reach flexcore-server: Failed to fetch',
  });
});

it('takes the token from the SSO session first, then manager.user', () => {
  expect(flexToken({ store: { getState: () => ({ flex: { session: { ssoTokenPayload: { token: 'sso' } } } }) }, user: { token: 'u' } })).toBe('sso');
  expect(flexToken({ store: { getState: () => ({}) }, user: { token: 'u' } })).toBe('u');
  expect(flexToken({ user: {} })).toBeUndefined();
  expect(flexToken(undefined)).toBeUndefined();
});
