import '../../../../test-utils/textEncoding'; // first: before the flexcore package loads
import React from 'react';
import { render, screen } from '@testing-library/react';
import * as Flex from '@twilio/flex-ui';

import { forgetLoadedCore } from '../../../../core/useCore';
import { resolveFlexcoreConfig } from '../../../../utils/configuration';
import { componentHook, componentName, CUSTOMER_TAB_NAME } from './TaskCanvasTabs';

const flexMock = Flex as unknown as typeof Flex & {
  TaskCanvasTabs: { Content: { fragments: { element: React.ReactElement; options: { sortOrder?: number } }[] } };
  __manager: Flex.Manager;
  __setMockTask: (task: unknown) => void;
};

const setAttributes = (configuration: unknown): void => {
  (flexMock.__manager as unknown as { configuration: unknown }).configuration = configuration;
};

afterEach(() => {
  forgetLoadedCore();
  setAttributes({});
});

it('is a named TaskCanvasTabs hook', () => {
  expect(componentName).toBe('TaskCanvasTabs');
  expect(componentHook.name).toBe('addCustomerTabToTaskCanvasTabs');
});

it('adds the "Customer" tab at sortOrder 999 (the seed tab position)', () => {
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({}, {}));
  const fragment = flexMock.TaskCanvasTabs.Content.fragments[flexMock.TaskCanvasTabs.Content.fragments.length - 1];
  expect(fragment.element.type).toBe(Flex.Tab);
  expect(fragment.element.props).toMatchObject({ uniqueName: CUSTOMER_TAB_NAME, label: 'Customer' });
  expect(fragment.options.sortOrder).toBe(999);
});

it('adds nothing when customer_context.enabled is false', () => {
  setAttributes({ custom_data: { features: { flexcore: { customer_context: { enabled: false } } } } });
  const before = flexMock.TaskCanvasTabs.Content.fragments.length;
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({}, {}));
  expect(flexMock.TaskCanvasTabs.Content.fragments.length).toBe(before);
});

it("renders the selected task's bot context with the real core", async () => {
  flexMock.__setMockTask({ taskSid: 'WT0123456789abcdef0123456789abcdef', attributes: { context: { topic: 'billing' } } });
  componentHook(Flex, flexMock.__manager, resolveFlexcoreConfig({}, {}));
  const fragments = flexMock.TaskCanvasTabs.Content.fragments;
  render(fragments[fragments.length - 1].element);
  expect(await screen.findByTestId('customer-context-rows', {}, { timeout: 25000 })).toHaveTextContent('billing');
  // No server configured: only the Bot context section.
  expect(screen.queryByTestId('customer-segment')).toBeNull();
}, 30000);
