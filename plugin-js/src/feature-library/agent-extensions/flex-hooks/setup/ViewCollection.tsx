import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import type { FlexcoreConfig } from '../../../../utils/configuration';
import { AgentExtensionsPage } from '../../custom-components/AgentExtensionsView/AgentExtensionsPage';

/** The Flex view name (seed: `agent-extensions-view`). */
export const VIEW_NAME = 'agent-extensions-view';

export const setupName = 'ViewCollection';

/** Adds the "Agent Extensions" view to Flex's ViewCollection (registered for everyone, as the seed does). */
export function addAgentExtensionsView(flex: FlexGlobal, manager: Flex.Manager, config: FlexcoreConfig): void {
  flex.ViewCollection.Content.add(
    <flex.View name={VIEW_NAME} key={VIEW_NAME}>
      <AgentExtensionsPage manager={manager} serverUrl={config.serverUrl} />
    </flex.View>,
  );
}

export const setupHook = addAgentExtensionsView;
