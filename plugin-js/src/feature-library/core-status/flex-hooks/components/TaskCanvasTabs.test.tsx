import React from 'react';
import { render, screen } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';
import { loadCore } from 'flexcore';

import { forgetLoadedCore } from '../../../../core/useCore';
import { fakeCore, VALID_TASK_SID } from '../../../../test-utils/fakeCore';
import { resolveFlexcoreConfig } from '../../../../utils/configuration';
import { componentHook, componentName, FLEXCORE_TAB_NAME } from './TaskCanvasTabs';

jest.mock('flexcore', () => ({ ...jest.requireActual('flexcore'), loadCore: jest.fn() }));
const loadCoreMock = loadCore as jest.MockedFunction<typeof loadCore>;
const flexMock = Flex as unknown as typeof Flex & {
  TaskCanvasTabs: { Content: { fragments: { element: React.ReactElement; options: { sortOrder?: number } }[] } };
  __manager: Flex.Manager;
  __setMockTask: (task: unknown) => void;
};

beforeEach(() => {
  forgetLoadedCore();
  loadCoreMock.mockReset();
});

it('is a named TaskCanvasTabs hook (flex-project-template convention)', () => {
  expect(componentName).toBe('TaskCanvasTabs');
  expect(componentHook.name).toBe('addFlexcoreTabToTaskCanvasTabs');
});

it('adds one "flexcore" Tab to the task canvas, after the built-in tabs', () => {
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({}, {}));
  expect(flexMock.TaskCanvasTabs.Content.add).toHaveBeenCalledTimes(1);
  const [fragment] = flexMock.TaskCanvasTabs.Content.fragments;
  expect(fragment.element.type).toBe(Flex.Tab);
  expect(fragment.element.props).toMatchObject({ uniqueName: FLEXCORE_TAB_NAME, label: 'flexcore' });
  expect(fragment.element.key).toBe('flexcore-core-status-tab');
  expect(fragment.options.sortOrder).toBe(100);
});

it("renders the selected task's Task SID verdict from the core inside the tab", async () => {
  loadCoreMock.mockResolvedValue(fakeCore([VALID_TASK_SID]));
  flexMock.__setMockTask({ taskSid: VALID_TASK_SID });
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({ server_url: 'http://127.0.0.1:8080' }, {}));
  render(flexMock.TaskCanvasTabs.Content.fragments[0].element);
  expect(await screen.findByTestId('flexcore-task-sid-verdict')).toHaveTextContent('Valid Task SID');
  expect(screen.getByTestId('flexcore-task-sid')).toHaveTextContent(VALID_TASK_SID);
  expect(screen.getByTestId('flexcore-server-url')).toHaveTextContent('http://127.0.0.1:8080');
  expect(screen.getByRole('heading', { name: 'flexcore' })).toBeInTheDocument();
});
