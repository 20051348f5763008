import React from 'react';
import { render, screen } from '@testing-library/react';
import { CoreError, CoreLoadError } from 'flexcore';

import { describeError } from './CoreAlert';
import { CoreBoundary, withCoreBoundary } from './CoreBoundary';

let shouldThrow: Error | undefined;
function Fragile(): JSX.Element {
  if (shouldThrow) throw shouldThrow;
  return <p>working</p>;
}

let consoleError: jest.SpyInstance;
beforeEach(() => {
  shouldThrow = undefined;
  // React logs caught render errors; the boundary logs its own line. Keep the output clean, but check it.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

it('renders its children when nothing throws', () => {
  render(
    <CoreBoundary componentLabel="flexcore tab">
      <Fragile />
    </CoreBoundary>,
  );
  expect(screen.getByText('working')).toBeInTheDocument();
  expect(screen.queryByTestId('flexcore-alert')).toBeNull();
});

it('replaces a component that throws a CoreError by an error Alert with the message and code, and logs it', () => {
  shouldThrow = new CoreError('InvalidArgument', 'TaskSid must be a Twilio SID');
  expect(() =>
    render(
      <CoreBoundary componentLabel="flexcore tab">
        <Fragile />
      </CoreBoundary>,
    ),
  ).not.toThrow();
  const alert = screen.getByTestId('flexcore-alert');
  expect(alert).toHaveTextContent('flexcore tab: TaskSid must be a Twilio SID');
  expect(screen.getByTestId('flexcore-alert-detail')).toHaveTextContent('error code InvalidArgument');
  expect(consoleError).toHaveBeenCalledWith(
    '[plugin-flexcore]',
    'flexcore tab failed and was replaced by an error alert',
    shouldThrow,
    expect.any(String),
  );
});

it('re-mounts the children on "Try again"', () => {
  shouldThrow = new Error('boom');
  render(
    <CoreBoundary componentLabel="flexcore tab">
      <Fragile />
    </CoreBoundary>,
  );
  expect(screen.getByTestId('flexcore-alert')).toHaveTextContent('flexcore tab stopped working.');
  shouldThrow = undefined;
  screen.getByRole('button', { name: 'Try again' }).click();
  expect(screen.getByText('working')).toBeInTheDocument();
});

it('withCoreBoundary protects a component and keeps its props', () => {
  const Greeting = ({ name }: { name: string }): JSX.Element => {
    if (name === 'bad') throw new Error('bad name');
    return <p>hello {name}</p>;
  };
  const Safe = withCoreBoundary(Greeting, 'greeting');
  expect(Safe.displayName).toBe('withCoreBoundary(Greeting)');
  const { rerender } = render(<Safe name="agent" />);
  expect(screen.getByText('hello agent')).toBeInTheDocument();
  rerender(<Safe name="bad" />);
  expect(screen.getByTestId('flexcore-alert')).toHaveTextContent('greeting stopped working.');
});

it('describes load failures, core errors and other errors differently', () => {
  expect(describeError(new CoreLoadError('wasm blocked', undefined), 'Panel')).toEqual({
    title: 'Panel is unavailable: the flexcore core could not be loaded.',
    detail: 'wasm blocked',
  });
  expect(describeError(new CoreError('NotFound', 'no such task'), 'Panel')).toEqual({
    title: 'Panel: no such task',
    detail: 'error code NotFound',
  });
  expect(describeError(new TypeError('x is undefined'), 'Panel')).toEqual({
    title: 'Panel stopped working.',
    detail: 'x is undefined',
  });
});

it('renders error text as text, never as HTML', () => {
  shouldThrow = new CoreError('InvalidArgument', '<img src=x onerror="window.__pwned=1">');
  render(
    <CoreBoundary componentLabel="flexcore tab">
      <Fragile />
    </CoreBoundary>,
  );
  expect(screen.getByTestId('flexcore-alert')).toHaveTextContent('<img src=x onerror="window.__pwned=1">');
  expect(document.querySelector('img')).toBeNull();
});
