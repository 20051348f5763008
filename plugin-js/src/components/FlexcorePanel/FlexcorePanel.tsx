import React from 'react';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Spinner } from '@twilio-paste/core/spinner';
import { Stack } from '@twilio-paste/core/stack';
import { Text } from '@twilio-paste/core/text';
import type { FlexCore } from 'flexcore';

import { CoreAlert } from '../../core/CoreAlert';
import { CoreBoundary } from '../../core/CoreBoundary';
import { StringTemplates } from '../../core/strings';
import { useCore } from '../../core/useCore';
import { text } from '../../utils/strings';

/** Props of {@link FlexcorePanel}. */
export interface FlexcorePanelProps {
  /** The panel heading (from the feature's strings table), also used to name the panel in error alerts and logs. */
  title: string;
  /** `data-testid` of the panel's root (page objects in tests/e2e find panels by it). */
  testId?: string;
  /** Renders the panel body once the core is loaded. May throw: the panel's error boundary catches it. */
  children: (core: FlexCore) => React.ReactNode;
}

function CoreGate({ title, children }: Pick<FlexcorePanelProps, 'title' | 'children'>): JSX.Element {
  const { status, core, error, retry } = useCore();
  if (status === 'ready' && core) return <>{children(core)}</>;
  if (status === 'error' && error) return <CoreAlert error={error} componentLabel={title} onRetry={retry} />;
  return (
    <Stack orientation="horizontal" spacing="space30">
      <Spinner decorative title={text(StringTemplates.LoadingTitle)} />
      <Text as="span" data-testid="flexcore-core-loading">
        {text(StringTemplates.Loading)}
      </Text>
    </Stack>
  );
}

/**
 * The container every flexcore feature renders its Flex content in (a task canvas tab, a panel, a view):
 * a titled box that
 * - loads the WebAssembly core once through {@link useCore} and shows a spinner until it is ready,
 * - shows a Paste error Alert (with "Try again") if the core cannot be loaded,
 * - is wrapped in {@link CoreBoundary}, so a throw from the body never reaches Flex.
 *
 * ```tsx
 * <FlexcorePanel title={text(StringTemplates.Title)}>{(core) => <SegmentLookup core={core} />}</FlexcorePanel>
 * ```
 */
export function FlexcorePanel({ title, testId = 'flexcore-panel', children }: FlexcorePanelProps): JSX.Element {
  return (
    <CoreBoundary componentLabel={title}>
      <Box padding="space50" data-testid={testId}>
        <Stack orientation="vertical" spacing="space40">
          <Heading as="h3" variant="heading30" marginBottom="space0">
            {title}
          </Heading>
          <CoreGate title={title}>{children}</CoreGate>
        </Stack>
      </Box>
    </CoreBoundary>
  );
}

export default FlexcorePanel;
