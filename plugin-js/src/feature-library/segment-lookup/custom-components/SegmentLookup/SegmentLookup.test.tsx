import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CoreError } from 'flexcore';

import type { FetchLike } from '../../lookupSegments';
import { SegmentLookup } from './SegmentLookup';

const SID = 'WT0123456789abcdef0123456789abcdef';

/** A core stand-in: accepts exactly SID (after trimming), else the CoreError the real core gives. */
const core = {
  checkTaskSid: jest.fn((value: string) => {
    const trimmed = value.trim();
    if (trimmed === '') throw new CoreError('InvalidArgument', 'TaskSid is required', 'required', {});
    if (trimmed !== SID) {
      throw new CoreError('InvalidArgument', 'TaskSid must be a Task SID: WT followed by 32 hex digits', 'sid_wrong_length', {
        prefix: 'WT',
        length: String(trimmed.length),
      });
    }
    return trimmed;
  }),
};

type Deferred = { resolve: (status: number, body: string) => void };

function pendingFetch(): { fetchImpl: jest.Mock; deferred: Deferred } {
  const deferred: Deferred = { resolve: () => undefined };
  const fetchImpl = jest.fn(
    () =>
      new Promise((resolve) => {
        deferred.resolve = (status, body) =>
          resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) });
      }),
  );
  return { fetchImpl, deferred };
}

const renderPanel = (fetchImpl: FetchLike, extra: Partial<React.ComponentProps<typeof SegmentLookup>> = {}) =>
  render(<SegmentLookup core={core} serverUrl="http://127.0.0.1:3000" getToken={() => 'flex-token'} fetchImpl={fetchImpl} {...extra} />);

beforeEach(() => core.checkTaskSid.mockClear());

it('disables Lookup for a blank input and while loading, then lists the IDs', async () => {
  const { fetchImpl, deferred } = pendingFetch();
  renderPanel(fetchImpl as unknown as FetchLike);
  const button = screen.getByTestId('segment-lookup-button');
  expect(button).toBeDisabled();
  fireEvent.change(screen.getByPlaceholderText('Enter Task SID'), { target: { value: `  ${SID} ` } });
  expect(button).toBeEnabled();
  fireEvent.click(button);
  expect(await screen.findByText('Loading...')).toBeInTheDocument();
  expect(screen.getByTestId('segment-lookup-button')).toBeDisabled();
  expect(fetchImpl).toHaveBeenCalledWith(`http://127.0.0.1:3000/get-segment-id?TaskSid=${SID}&Token=flex-token`, expect.anything());
  await act(async () => deferred.resolve(200, '{"segment_ids":["123456","12,34","123456"]}'));
  expect(screen.getByTestId('segment-lookup-count')).toHaveTextContent('Found 3 segment ID(s):');
  expect(screen.getAllByTestId('segment-lookup-id').map((el) => el.textContent)).toEqual(['123456', '12,34', '123456']);
  expect(screen.getByTestId('segment-lookup-button')).toHaveTextContent('Lookup');
});

it('submits on Enter and shows "No segments found" for an empty list', async () => {
  const fetchImpl = jest.fn(() => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"segment_ids":[]}') }));
  renderPanel(fetchImpl);
  const input = screen.getByPlaceholderText('Enter Task SID');
  fireEvent.change(input, { target: { value: SID } });
  fireEvent.keyDown(input, { key: 'Enter' });
  expect(await screen.findByTestId('segment-lookup-empty')).toHaveTextContent('No segments found');
  expect(fetchImpl).toHaveBeenCalledTimes(1);
});

it("says why a Task SID is malformed from the core's reason and sends nothing", async () => {
  const fetchImpl = jest.fn();
  renderPanel(fetchImpl);
  fireEvent.change(screen.getByPlaceholderText('Enter Task SID'), { target: { value: 'WT123' } });
  fireEvent.click(screen.getByTestId('segment-lookup-button'));
  expect(await screen.findByTestId('segment-lookup-error')).toHaveTextContent(
    'Error: A Task SID has 34 characters ("WT" and 32 hexadecimal digits); this one has 5.',
  );
  expect(core.checkTaskSid).toHaveBeenCalledWith('WT123');
  expect(fetchImpl).not.toHaveBeenCalled();
});

it("says the server's JSON error and the plain-text 403 of Flex-token auth in the user's language", async () => {
  const bodies = [
    { status: 404, body: '{"error":"External ID not found in Flex Insights","code":"NotFound"}' },
    { status: 403, body: 'Invalid Access Token' },
  ];
  const fetchImpl = jest.fn(() => {
    const next = bodies.shift()!;
    return Promise.resolve({ ok: false, status: next.status, text: () => Promise.resolve(next.body) });
  });
  renderPanel(fetchImpl);
  fireEvent.change(screen.getByPlaceholderText('Enter Task SID'), { target: { value: SID } });
  fireEvent.click(screen.getByTestId('segment-lookup-button'));
  expect(await screen.findByTestId('segment-lookup-error')).toHaveTextContent('Error: This task was not found in Flex Insights.');
  fireEvent.click(screen.getByTestId('segment-lookup-button'));
  await waitFor(() =>
    expect(screen.getByTestId('segment-lookup-error')).toHaveTextContent('Error: flexcore-server did not accept your Flex sign-in'),
  );
});

it('says so when the server URL is not configured', async () => {
  const fetchImpl = jest.fn();
  renderPanel(fetchImpl, { serverUrl: undefined });
  fireEvent.change(screen.getByPlaceholderText('Enter Task SID'), { target: { value: SID } });
  fireEvent.click(screen.getByTestId('segment-lookup-button'));
  expect(await screen.findByTestId('segment-lookup-error')).toHaveTextContent('flexcore-server is not configured');
  expect(fetchImpl).not.toHaveBeenCalled();
});

it('copies an ID to the clipboard', async () => {
  const copyText = jest.fn(() => Promise.resolve());
  const fetchImpl = jest.fn(() => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"segment_ids":["42"]}') }));
  renderPanel(fetchImpl, { copyText });
  fireEvent.change(screen.getByPlaceholderText('Enter Task SID'), { target: { value: SID } });
  fireEvent.click(screen.getByTestId('segment-lookup-button'));
  const [copyButton] = await screen.findAllByTestId('segment-lookup-copy');
  // (jsdom's style engine trips over Paste's CSS in getByRole's accessible-name computation: query by test id.)
  expect(copyButton).toHaveAttribute('aria-label', 'Copy segment ID 42');
  fireEvent.click(copyButton);
  expect(copyText).toHaveBeenCalledWith('42');
  expect(await screen.findByText('Copied')).toBeInTheDocument();
});
