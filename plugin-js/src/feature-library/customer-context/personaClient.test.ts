import { classifyPersonaAnswer } from './personaClient';
import { readUserId, resolveCustomerContextSettings } from './settings';

describe('classifyPersonaAnswer', () => {
  it('returns the profile of a 200', () => {
    expect(classifyPersonaAnswer(200, '{"traits":{"a":1},"events":[],"audiences":[]}')).toEqual({
      state: 'profile',
      traits: { a: 1 },
      events: [],
    });
  });
  it('treats a 200 without traits/events as an error', () => {
    expect(classifyPersonaAnswer(200, '{"statusCode":404}').state).toBe('error');
    expect(classifyPersonaAnswer(200, 'not json').state).toBe('error');
  });
  it('maps 404 to no-profile and 503 NotConfigured to not-configured', () => {
    expect(classifyPersonaAnswer(404, '{"error":"No Segment profile for user_id:x","statusCode":404}')).toEqual({
      state: 'no-profile',
      message: 'flexcore-server did not find what was asked for. (detail: No Segment profile for user_id:x)',
    });
    expect(classifyPersonaAnswer(503, '{"error":"not configured: set SEGMENT_SPACE_ID","code":"NotConfigured"}').state).toBe(
      'not-configured',
    );
    expect(classifyPersonaAnswer(503, '{"error":"Segment is unreachable","code":"Unavailable"}')).toEqual({
      state: 'error',
      message: 'A service flexcore-server needs is unavailable; try again later.',
    });
  });
  it('says the plain-text Flex token failure and bodiless answers for their status', () => {
    expect(classifyPersonaAnswer(403, 'Invalid Access Token')).toEqual({
      state: 'error',
      message: 'flexcore-server did not accept your Flex sign-in; sign in to Flex again.',
    });
    expect(classifyPersonaAnswer(500, '')).toEqual({ state: 'error', message: 'flexcore-server had an internal error.' });
    expect(classifyPersonaAnswer(418, '')).toEqual({ state: 'error', message: 'flexcore-server answered HTTP 418.' });
  });
});

describe('customer context settings', () => {
  it('defaults to userId / user_id', () => {
    expect(resolveCustomerContextSettings(undefined)).toEqual({
      enabled: true,
      userIdAttribute: 'userId',
      idType: 'user_id',
      flatten: false,
      problems: [],
    });
  });
  it('reads the keys and reports wrong types', () => {
    expect(resolveCustomerContextSettings({ user_id_attribute: 'customer.email', id_type: 'email', flatten: true })).toMatchObject({
      userIdAttribute: 'customer.email',
      idType: 'email',
      flatten: true,
    });
    const bad = resolveCustomerContextSettings({ enabled: 'no', id_type: 'a/b', user_id_attribute: '' });
    expect(bad).toMatchObject({ enabled: true, idType: 'user_id', userIdAttribute: 'userId' });
    expect(bad.problems).toHaveLength(3);
    expect(resolveCustomerContextSettings('on').problems).toEqual(['customer_context must be an object, got "on"']);
  });
  it('reads the user id attribute, nested paths, numbers; ignores empty or non-scalar values', () => {
    expect(readUserId({ userId: 'bob' }, 'userId')).toBe('bob');
    expect(readUserId({ customer: { email: 'a@b.c' } }, 'customer.email')).toBe('a@b.c');
    expect(readUserId({ userId: 42 }, 'userId')).toBe('42');
    expect(readUserId({ userId: '  ' }, 'userId')).toBeUndefined();
    expect(readUserId({ userId: { id: 1 } }, 'userId')).toBeUndefined();
    expect(readUserId(undefined, 'userId')).toBeUndefined();
    expect(readUserId({ __proto__: { userId: 'x' } }, 'userId')).toBeUndefined();
  });
});
