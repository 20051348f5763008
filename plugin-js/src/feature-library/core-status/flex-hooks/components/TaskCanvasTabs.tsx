import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import { CoreBoundary } from '../../../../core/CoreBoundary';
import type { FlexGlobal } from '../../../../types/feature';
import { FlexComponent } from '../../../../types/flex-components';
import type { FlexcoreConfig } from '../../../../utils/configuration';
import { text } from '../../../../utils/strings';
import { CoreStatusTab } from '../../custom-components/CoreStatus';
import { StringTemplates } from '../strings';

/** uniqueName of the tab (Flex's selectedTabName); stable, other features and tests refer to it. */
export const FLEXCORE_TAB_NAME = 'flexcore';

export const componentName = FlexComponent.TaskCanvasTabs;

/**
 * Adds the "flexcore" tab to the task canvas: the selected task's Task SID checked by the WebAssembly core,
 * the core version and the configured flexcore-server.
 */
export const componentHook = function addFlexcoreTabToTaskCanvasTabs(
  flex: FlexGlobal,
  _manager: Flex.Manager,
  config: FlexcoreConfig,
): void {
  flex.TaskCanvasTabs.Content.add(
    <flex.Tab key="flexcore-core-status-tab" uniqueName={FLEXCORE_TAB_NAME} label={text(StringTemplates.TabLabel)}>
      <CoreBoundary componentLabel={text(StringTemplates.ComponentLabel)}>
        <CoreStatusTab serverUrl={config.serverUrl} configProblems={config.problemDetails} />
      </CoreBoundary>
    </flex.Tab>,
    { sortOrder: 100 },
  );
};
