import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import { FlexcorePanel } from '../../../../components/FlexcorePanel/FlexcorePanel';
import type { FlexGlobal } from '../../../../types/feature';
import { FlexComponent } from '../../../../types/flex-components';
import type { FlexcoreConfig } from '../../../../utils/configuration';
import { SegmentLookup } from '../../custom-components/SegmentLookup';
import { text } from '../../../../utils/strings';
import { flexToken } from '../../lookupSegments';
import { StringTemplates } from '../strings';

export const componentName = FlexComponent.AgentDesktopViewPanel2;

/** Props Flex passes to AgentDesktopView.Panel2's content (`task` in Flex; `selectedTask` in the harness). */
export interface Panel2Props {
  task?: unknown;
  selectedTask?: unknown;
}

/** The seed's condition: the panel shows only while no task is selected. */
export const showWhenNoTask = (props: Panel2Props): boolean => !props.task && !props.selectedTask;

/**
 * Adds the "Segment Lookup" panel to AgentDesktopView.Panel2 (sortOrder -1, shown when no task is selected),
 * as the seed's GetSegmentByTaskPlugin does. The Flex token is read from the manager at lookup time.
 */
export const componentHook = function addSegmentLookupToAgentDesktopPanel2(
  flex: FlexGlobal,
  manager: Flex.Manager,
  config: FlexcoreConfig,
): void {
  flex.AgentDesktopView.Panel2.Content.add(
    <FlexcorePanel key="flexcore-segment-lookup" title={text(StringTemplates.Title)} testId="flexcore-segment-lookup">
      {(core) => <SegmentLookup core={core} serverUrl={config.serverUrl} getToken={() => flexToken(manager)} />}
    </FlexcorePanel>,
    { sortOrder: -1, if: showWhenNoTask },
  );
};
