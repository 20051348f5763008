import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { CoreLoadError, loadCore } from 'flexcore';

import { forgetLoadedCore } from '../../core/useCore';
import { fakeCore } from '../../test-utils/fakeCore';
import { FlexcorePanel } from './FlexcorePanel';

jest.mock('flexcore', () => ({ ...jest.requireActual('flexcore'), loadCore: jest.fn() }));
const loadCoreMock = loadCore as jest.MockedFunction<typeof loadCore>;

let consoleError: jest.SpyInstance;
beforeEach(() => {
  forgetLoadedCore();
  loadCoreMock.mockReset();
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

it('shows its title and a loading line, then renders the body with the loaded core', async () => {
  loadCoreMock.mockResolvedValue(fakeCore());
  render(<FlexcorePanel title="Segment Lookup">{(core) => <p>core {core.version}</p>}</FlexcorePanel>);
  expect(screen.getByRole('heading', { name: 'Segment Lookup' })).toBeInTheDocument();
  expect(screen.getByTestId('flexcore-core-loading')).toHaveTextContent('Loading the flexcore core…');
  expect(await screen.findByText('core 9.9.9-test')).toBeInTheDocument();
  expect(screen.queryByTestId('flexcore-core-loading')).toBeNull();
  expect(screen.getByTestId('flexcore-panel')).toBeInTheDocument();
});

it('shows an error Alert when the core cannot be loaded, and recovers on "Try again"', async () => {
  loadCoreMock.mockRejectedValueOnce(new CoreLoadError('flexcore: the WebAssembly core could not be loaded (blocked)', new Error('blocked')));
  loadCoreMock.mockResolvedValueOnce(fakeCore());
  render(<FlexcorePanel title="flexcore">{() => <p>body</p>}</FlexcorePanel>);
  const alert = await screen.findByTestId('flexcore-alert');
  expect(alert).toHaveTextContent('flexcore is unavailable: the flexcore core could not be loaded.');
  expect(alert).toHaveTextContent('(blocked)');
  expect(screen.queryByText('body')).toBeNull();
  screen.getByRole('button', { name: 'Try again' }).click();
  expect(await screen.findByText('body')).toBeInTheDocument();
});

it('keeps a throw from its body inside the panel', async () => {
  loadCoreMock.mockResolvedValue(fakeCore());
  render(
    <div>
      <p>rest of Flex</p>
      <FlexcorePanel title="flexcore" testId="custom-panel">
        {() => {
          throw new Error('render failed');
        }}
      </FlexcorePanel>
    </div>,
  );
  await waitFor(() => expect(screen.getByTestId('flexcore-alert')).toHaveTextContent('flexcore stopped working.'));
  expect(screen.getByText('rest of Flex')).toBeInTheDocument();
});
