import React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { CoreLoadError, loadCore } from 'flexcore';

import { fakeCore } from '../test-utils/fakeCore';
import { forgetLoadedCore, useCore, type CoreState } from './useCore';

jest.mock('flexcore', () => ({ ...jest.requireActual('flexcore'), loadCore: jest.fn() }));
const loadCoreMock = loadCore as jest.MockedFunction<typeof loadCore>;

let seen: CoreState[] = [];
function Probe({ id }: { id: string }): JSX.Element {
  const state = useCore();
  seen.push(state);
  return (
    <div data-testid={id}>
      {state.status}
      {state.core ? ` ${state.core.version}` : ''}
      {state.error ? ` ${state.error.message}` : ''}
      <button type="button" onClick={state.retry}>
        retry {id}
      </button>
    </div>
  );
}

beforeEach(() => {
  forgetLoadedCore();
  loadCoreMock.mockReset();
  seen = [];
});

it('is loading first, then ready with the core', async () => {
  loadCoreMock.mockResolvedValue(fakeCore());
  render(<Probe id="a" />);
  expect(screen.getByTestId('a')).toHaveTextContent(/^loading/);
  await waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('ready 9.9.9-test'));
  expect(loadCoreMock).toHaveBeenCalledTimes(1);
});

it('hands an already loaded core to later components on their first render, without loading again', async () => {
  loadCoreMock.mockResolvedValue(fakeCore());
  const first = render(<Probe id="a" />);
  await waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('ready'));
  first.unmount();
  seen = [];
  render(<Probe id="b" />);
  expect(seen[0].status).toBe('ready');
  expect(loadCoreMock).toHaveBeenCalledTimes(1);
});

it('reports a load failure and loads again on retry', async () => {
  loadCoreMock.mockRejectedValueOnce(new CoreLoadError('flexcore: the WebAssembly core could not be loaded (CSP)', new Error('CSP')));
  loadCoreMock.mockResolvedValueOnce(fakeCore());
  render(<Probe id="a" />);
  await waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('error flexcore: the WebAssembly core could not be loaded (CSP)'));
  const errorState = seen[seen.length - 1];
  expect(errorState.error).toBeInstanceOf(CoreLoadError);
  expect(errorState.core).toBeUndefined();
  act(() => screen.getByText('retry a').click());
  await waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('ready 9.9.9-test'));
  expect(loadCoreMock).toHaveBeenCalledTimes(2);
});

it('turns a non-Error rejection into an Error', async () => {
  loadCoreMock.mockRejectedValue('no WebAssembly');
  render(<Probe id="a" />);
  await waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('error no WebAssembly'));
  expect(seen[seen.length - 1].error).toBeInstanceOf(Error);
});

it('does not update an unmounted component when the load settles later', async () => {
  let resolve: (core: ReturnType<typeof fakeCore>) => void = () => undefined;
  loadCoreMock.mockReturnValue(new Promise((r) => (resolve = r)));
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const view = render(<Probe id="a" />);
  view.unmount();
  await act(async () => resolve(fakeCore()));
  expect(error).not.toHaveBeenCalled();
  error.mockRestore();
});
