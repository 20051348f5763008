// The REAL core in the jsdom environment the component tests use: the "flexcore" tab content renders the
// verdict the wasm core computes (no mock of the core, only of Flex).
import React from 'react';
import { render, screen } from '@testing-library/react';
import { resetCore } from 'flexcore';

import { CoreStatusTabContent } from '../feature-library/core-status/custom-components/CoreStatus';
import { forgetLoadedCore } from './useCore';

afterAll(() => {
  forgetLoadedCore();
  resetCore();
});

it('renders the real core version and its verdict on a valid and an invalid Task SID', async () => {
  const { rerender } = render(
    <CoreStatusTabContent task={{ taskSid: 'WT0123456789abcdef0123456789abcdef' } as never} serverUrl={undefined} />,
  );
  expect(await screen.findByTestId('flexcore-task-sid-verdict', {}, { timeout: 10000 })).toHaveTextContent('Valid Task SID');
  expect(screen.getByTestId('flexcore-core-version')).toHaveTextContent(require('flexcore/package.json').version);

  rerender(<CoreStatusTabContent task={{ taskSid: 'WT123' } as never} serverUrl={undefined} />);
  expect(screen.getByTestId('flexcore-task-sid-verdict')).toHaveTextContent('Not a Task SID');
  expect(screen.getByTestId('flexcore-task-sid-verdict')).toHaveAttribute('data-code', 'InvalidArgument');
  // The real core's reason (sid_wrong_length, length 5), said from the strings table.
  expect(screen.getByTestId('flexcore-task-sid-message')).toHaveTextContent('A Task SID has 34 characters ("WT" and 32 hexadecimal digits); this one has 5.');
  expect(screen.getByTestId('flexcore-task-sid-message')).toHaveAttribute('data-reason', 'sid_wrong_length');
});
