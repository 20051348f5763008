import React from 'react';
import { withTaskContext, type ITask } from '@twilio/flex-ui';

import { FlexcorePanel } from '../../../../components/FlexcorePanel/FlexcorePanel';
import type { FetchPersona } from '../../personaClient';
import { readUserId, type CustomerContextSettings } from '../../settings';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import { CustomerContext } from './CustomerContext';

/** Props of {@link CustomerContextTab} (besides `task`, which Flex's withTaskContext provides). */
export interface CustomerContextTabProps {
  /** The selected task (Flex TaskContext). */
  task?: ITask;
  /** The configured flexcore-server base URL (undefined: Segment section hidden). */
  serverUrl: string | undefined;
  /** The feature's settings. */
  settings: CustomerContextSettings;
  /** Returns the current Flex token (read at fetch time: Flex refreshes it). */
  getToken: () => string | undefined;
  /** The persona call (tests inject one). */
  fetchPersona?: FetchPersona;
}

/** The body of the "Customer" task canvas tab inside a FlexcorePanel (core loading, error boundary). */
export function CustomerContextTabContent({ task, serverUrl, settings, getToken, fetchPersona }: CustomerContextTabProps): JSX.Element {
  const attributes: unknown = task?.attributes;
  const userId = readUserId(attributes, settings.userIdAttribute);
  return (
    <FlexcorePanel title={text(StringTemplates.Title)} testId="flexcore-customer-context">
      {(core) => (
        <CustomerContext
          core={core}
          attributes={attributes}
          userId={userId}
          idType={settings.idType}
          serverUrl={serverUrl}
          token={getToken()}
          flatten={settings.flatten}
          fetchPersona={fetchPersona}
        />
      )}
    </FlexcorePanel>
  );
}

/** {@link CustomerContextTabContent} connected to the selected task through Flex's withTaskContext. */
export const CustomerContextTab = withTaskContext(CustomerContextTabContent);

export default CustomerContextTab;
