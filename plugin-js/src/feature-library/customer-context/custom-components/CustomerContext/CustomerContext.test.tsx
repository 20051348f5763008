// The "Customer" tab body with the REAL core (contextRows/traitRows/eventRows are the core's rules; only the
// persona call is injected).
import '../../../../test-utils/textEncoding'; // first: before the flexcore package loads
import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { Theme } from '@twilio-paste/core/theme';
import { loadCore, resetCore, type FlexCore } from 'flexcore';

import type { FetchPersona, PersonaResult } from '../../personaClient';
import { CustomerContext } from './CustomerContext';

let core: FlexCore;
beforeAll(async () => {
  core = await loadCore();
}, 30000);
afterAll(() => resetCore());

const attributes = {
  userId: 'bob',
  channel: 'chat',
  context: {
    name: 'Bob',
    '10': true,
    '2': null,
    address: { city: 'Recife' },
    site: 'https://example.com/orders/1',
    evil: 'javascript:alert(1)',
    '<script>alert(1)</script>': '<b>bold</b>',
  },
};

const profile: PersonaResult = {
  state: 'profile',
  traits: { first_name: 'Bob', plan: 'gold', homepage: 'https://bob.example.com' },
  events: [
    { type: 'track', event: 'Signed Up', timestamp: '2026-01-01T10:00:00.000Z', properties: {} },
    { type: 'page', timestamp: '2026-01-03T10:00:00.000Z', properties: { path: '/help' } },
    { type: 'track', event: 'Order Completed', timestamp: '2026-01-02T10:00:00.000Z', properties: { total: 42 } },
  ],
};

function renderWith(fetchPersona: FetchPersona, overrides: Partial<React.ComponentProps<typeof CustomerContext>> = {}) {
  return render(
    <Theme.Provider theme="flex">
      <CustomerContext
      core={core}
      attributes={attributes}
      userId="bob"
      idType="user_id"
      serverUrl="http://127.0.0.1:3000"
      token="flex-token"
      fetchPersona={fetchPersona}
      {...overrides}
      />
    </Theme.Provider>,
  );
}

const texts = (elements: HTMLElement[]): string[] => elements.map((element) => element.textContent ?? '');

it('shows the context rows in Object.keys order with the core value rules, as text, URLs as safe links', async () => {
  const { container } = renderWith(jest.fn(async () => profile));
  const rows = within(screen.getByTestId('customer-context-rows'));
  expect(texts(rows.getAllByTestId('row-key'))).toEqual(['2', '10', 'name', 'address', 'site', 'evil', '<script>alert(1)</script>']);
  expect(texts(rows.getAllByTestId('row-value'))).toEqual([
    '',
    'true',
    'Bob',
    '{"city":"Recife"}',
    'https://example.com/orders/1',
    'javascript:alert(1)',
    '<b>bold</b>',
  ]);
  const link = rows.getByRole('link', { name: 'https://example.com/orders/1' });
  expect(link).toHaveAttribute('href', 'https://example.com/orders/1');
  expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  expect(rows.queryByRole('link', { name: 'javascript:alert(1)' })).toBeNull();
  expect(container.querySelector('script')).toBeNull();
  expect(container.querySelector('b')).toBeNull();
  await screen.findByTestId('customer-traits');
});

it('flattens nested context into dotted keys when configured', async () => {
  renderWith(jest.fn(async () => profile), { flatten: true });
  expect(texts(within(screen.getByTestId('customer-context-rows')).getAllByTestId('row-key'))).toContain('address.city');
  await screen.findByTestId('customer-traits');
});

it.each([
  ['a string', { context: 'hello' }],
  ['an array', { context: [1, 2] }],
  ['null', { context: null }],
  ['missing', { channel: 'sms' }],
])('shows "No context" when context is %s, never crashing', async (_label, value) => {
  renderWith(jest.fn(async () => profile), { attributes: value });
  expect(screen.getByTestId('customer-bot-context-empty')).toHaveTextContent('No context');
  await screen.findByTestId('customer-traits');
});

it('survives huge and deep contexts: 10,000 keys are cut with a marker row, 50 levels show as text', async () => {
  const many: Record<string, number> = {};
  for (let i = 0; i < 10000; i++) many[`k${i}`] = i;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 50; i++) deep = { d: deep };
  renderWith(jest.fn(async () => profile), { attributes: { context: { ...many, deep } } });
  const values = texts(within(screen.getByTestId('customer-context-rows')).getAllByTestId('row-value'));
  expect(values[values.length - 1]).toMatch(/more not shown/);
  await screen.findByTestId('customer-traits');
});

it('shows control characters as visible pictures', async () => {
  renderWith(jest.fn(async () => profile), { attributes: { context: { bell: 'a\u0007b' } } });
  expect(within(screen.getByTestId('customer-context-rows')).getByTestId('row-value')).toHaveTextContent('a\u2407b');
  await screen.findByTestId('customer-traits');
});

it('fetches the persona with the task user id and shows traits, then events newest first', async () => {
  const fetchPersona = jest.fn(async () => profile);
  renderWith(fetchPersona);
  expect(screen.getByTestId('customer-segment-loading')).toBeInTheDocument();
  const traits = within(await screen.findByTestId('customer-traits'));
  expect(fetchPersona).toHaveBeenCalledWith({ serverUrl: 'http://127.0.0.1:3000', token: 'flex-token', idType: 'user_id', identifier: 'bob' });
  expect(texts(traits.getAllByTestId('row-key'))).toEqual(['first_name', 'plan', 'homepage']);
  expect(traits.getByRole('link', { name: 'https://bob.example.com' })).toHaveAttribute('rel', 'noopener noreferrer');
  expect(texts(screen.getAllByTestId('customer-event-name'))).toEqual(['page', 'Order Completed', 'Signed Up']);
  expect(texts(screen.getAllByTestId('customer-event-time'))).toEqual([
    '2026-01-03 10:00:00 UTC',
    '2026-01-02 10:00:00 UTC',
    '2026-01-01 10:00:00 UTC',
  ]);
});

it('shows "no profile" for a 404', async () => {
  renderWith(jest.fn(async (): Promise<PersonaResult> => ({ state: 'no-profile', message: 'No Segment profile for user_id:bob' })));
  expect(await screen.findByTestId('customer-segment-no-profile')).toHaveTextContent('No Segment profile for user_id bob');
});

it('shows an error with Try again, which fetches again', async () => {
  const fetchPersona = jest
    .fn<Promise<PersonaResult>, Parameters<FetchPersona>>()
    .mockResolvedValueOnce({ state: 'error', message: 'flexcore-server answered HTTP 502' })
    .mockResolvedValueOnce(profile);
  renderWith(fetchPersona);
  expect(await screen.findByTestId('customer-segment-error')).toHaveTextContent('HTTP 502');
  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByTestId('customer-traits')).toBeInTheDocument();
  expect(fetchPersona).toHaveBeenCalledTimes(2);
});

it('hides the Segment section when the server is not configured for Segment, has no URL, or the task has no user id', async () => {
  const notConfigured = jest.fn(async (): Promise<PersonaResult> => ({ state: 'not-configured', message: 'set SEGMENT_SPACE_ID' }));
  const { unmount } = renderWith(notConfigured);
  await screen.findByTestId('customer-context');
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(notConfigured).toHaveBeenCalled();
  expect(screen.queryByTestId('customer-segment')).toBeNull();
  expect(screen.getByTestId('customer-context-rows')).toBeInTheDocument();
  unmount();

  const never = jest.fn(async () => profile);
  renderWith(never, { serverUrl: undefined });
  expect(screen.queryByTestId('customer-segment')).toBeNull();
  renderWith(never, { userId: undefined });
  expect(never).not.toHaveBeenCalled();
});

it('shows an error without a Flex token instead of calling the server', async () => {
  const fetchPersona = jest.fn(async () => profile);
  renderWith(fetchPersona, { token: undefined });
  expect(await screen.findByTestId('customer-segment-error')).toHaveTextContent('No Flex token');
  expect(fetchPersona).not.toHaveBeenCalled();
});
