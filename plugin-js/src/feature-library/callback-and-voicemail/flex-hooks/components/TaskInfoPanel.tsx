import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import { CoreBoundary } from '../../../../core/CoreBoundary';
import type { FlexGlobal } from '../../../../types/feature';
import type { FlexcoreConfig } from '../../../../utils/configuration';
import { CallbackPanelContent } from '../../custom-components/CallbackPanel';
import { isCallbackOrVoicemail, type CallbackTaskLike } from '../../taskTypes';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../strings';

export const componentName = 'TaskInfoPanel';

/**
 * Replaces the TaskInfoPanel content (sortOrder -1) with the callback view for tasks whose taskType is
 * "callback" or "voicemail"; other tasks keep Flex's panel.
 */
export const componentHook = function replaceTaskInfoPanelForCallbacks(
  flex: FlexGlobal,
  manager: Flex.Manager,
  config: FlexcoreConfig,
): void {
  const Panel = flex.withTaskContext((props: { task?: CallbackTaskLike }) => (
    <CoreBoundary componentLabel={text(StringTemplates.ComponentLabel)}>
      <CallbackPanelContent
        task={props.task}
        flex={flex}
        manager={manager}
        serverUrl={config.serverUrl}
        maxAttemptsSetting={config.callback.maxAttempts}
      />
    </CoreBoundary>
  ));
  flex.TaskInfoPanel.Content.replace(<Panel key="flexcore-callback-panel" />, {
    sortOrder: -1,
    if: (props: { task?: CallbackTaskLike }) => isCallbackOrVoicemail(props.task),
  } as never);
};
