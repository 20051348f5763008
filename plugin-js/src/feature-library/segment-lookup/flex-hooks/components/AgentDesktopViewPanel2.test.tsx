import React from 'react';
import { render, screen } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';
import { loadCore } from 'flexcore';

import { forgetLoadedCore } from '../../../../core/useCore';
import { fakeCore } from '../../../../test-utils/fakeCore';
import { resolveFlexcoreConfig } from '../../../../utils/configuration';
import { componentHook, componentName, showWhenNoTask } from './AgentDesktopViewPanel2';

jest.mock('flexcore', () => ({ ...jest.requireActual('flexcore'), loadCore: jest.fn() }));
const loadCoreMock = loadCore as jest.MockedFunction<typeof loadCore>;
const flexMock = Flex as unknown as typeof Flex & {
  AgentDesktopView: {
    Panel2: { Content: { fragments: { element: React.ReactElement; options: { sortOrder?: number; if?: (p: unknown) => boolean } }[] } };
  };
  __manager: Flex.Manager;
};

beforeEach(() => {
  forgetLoadedCore();
  loadCoreMock.mockReset();
});

it('is a named AgentDesktopView.Panel2 hook', () => {
  expect(componentName).toBe('AgentDesktopView.Panel2');
  expect(componentHook.name).toBe('addSegmentLookupToAgentDesktopPanel2');
});

it('adds the Segment Lookup panel first in Panel2, shown only while no task is selected', async () => {
  loadCoreMock.mockResolvedValue(fakeCore());
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({ server_url: 'http://127.0.0.1:3000' }, {}));
  expect(flexMock.AgentDesktopView.Panel2.Content.add).toHaveBeenCalledTimes(1);
  const [fragment] = flexMock.AgentDesktopView.Panel2.Content.fragments;
  expect(fragment.options.sortOrder).toBe(-1);
  expect(fragment.options.if).toBe(showWhenNoTask);
  expect(showWhenNoTask({})).toBe(true);
  expect(showWhenNoTask({ task: { taskSid: 'WT1' } })).toBe(false);
  expect(showWhenNoTask({ selectedTask: { taskSid: 'WT1' } })).toBe(false);
  render(fragment.element);
  expect(screen.getByRole('heading', { name: 'Segment Lookup' })).toBeInTheDocument();
  expect(await screen.findByPlaceholderText('Enter Task SID')).toBeInTheDocument();
});
