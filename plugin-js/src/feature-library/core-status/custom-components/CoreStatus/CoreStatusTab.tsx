import React from 'react';
import { withTaskContext, type ITask } from '@twilio/flex-ui';

import { FlexcorePanel } from '../../../../components/FlexcorePanel/FlexcorePanel';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import type { ConfigProblem } from '../../../../utils/configuration';
import { CoreStatus } from './CoreStatus';

/** Props of {@link CoreStatusTab} (besides `task`, which Flex's withTaskContext provides). */
export interface CoreStatusTabProps {
  /** The selected task (Flex TaskContext). */
  task?: ITask;
  /** The configured flexcore-server base URL. */
  serverUrl: string | undefined;
  /** Configuration problems to show (said in the user's language from their reason; plain strings as given). */
  configProblems?: (string | ConfigProblem)[];
}

/** The body of the "flexcore" task canvas tab: the core status of the selected task inside a FlexcorePanel. */
export function CoreStatusTabContent({ task, serverUrl, configProblems }: CoreStatusTabProps): JSX.Element {
  return (
    <FlexcorePanel title={text(StringTemplates.Title)} testId="flexcore-core-status">
      {(core) => (
        <CoreStatus core={core} taskSid={task?.taskSid} serverUrl={serverUrl} configProblems={configProblems} />
      )}
    </FlexcorePanel>
  );
}

/** {@link CoreStatusTabContent} connected to the selected task through Flex's withTaskContext. */
export const CoreStatusTab = withTaskContext(CoreStatusTabContent);

export default CoreStatusTab;
