import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../strings';
import { VIEW_NAME } from './ViewCollection';

export const setupName = 'SideNav';

/** True when the user's roles are only `agent` (no supervisor or admin role): the link is hidden (seed 3.5). */
export function onlyAgent(roles: readonly string[] | undefined): boolean {
  const list = roles ?? [];
  return list.length === 0 || list.every((role) => role === 'agent');
}

/** Adds the side-nav link "Agent Extensions" for supervisors and admins (sortOrder 100, icon Directory). */
export function addAgentExtensionsSideLink(flex: FlexGlobal, manager: Flex.Manager): void {
  const roles = (manager.user as unknown as { roles?: string[] } | undefined)?.roles;
  if (onlyAgent(roles)) return;
  flex.SideNav.Content.add(
    <flex.SideLink
      key="agent-extensions-side-link"
      icon="Directory"
      iconActive="DirectoryBold"
      onClick={() => {
        void flex.Actions.invokeAction('NavigateToView', { viewName: VIEW_NAME });
      }}
    >
      {text(StringTemplates.SideLink)}
    </flex.SideLink>,
    { sortOrder: 100 },
  );
}

export const setupHook = addAgentExtensionsSideLink;
