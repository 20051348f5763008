import React, { useMemo } from 'react';
import type * as Flex from '@twilio/flex-ui';

import { useCore } from '../../../../core/useCore';
import { serverApi } from '../../api';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import { AgentExtensionsView } from './AgentExtensionsView';

/** The view's content inside Flex: loads the core, talks to the configured flexcore-server with the Flex token. */
export function AgentExtensionsPage({ manager, serverUrl }: { manager: Flex.Manager; serverUrl: string | undefined }): JSX.Element {
  const { status, core, error } = useCore();
  const api = useMemo(
    () => (serverUrl ? serverApi(serverUrl, () => (manager.user as unknown as { token: string }).token) : undefined),
    [manager, serverUrl],
  );
  if (!api) return <div data-testid="agent-extensions-not-configured">{text(StringTemplates.ServerNotConfigured)}</div>;
  if (status === 'error') return <div data-testid="agent-extensions-error">{text(StringTemplates.CoreLoadFailed, { message: error?.message })}</div>;
  if (!core) return <div data-testid="agent-extensions-loading">{text(StringTemplates.Loading)}</div>;
  return <AgentExtensionsView core={core} api={api} />;
}
