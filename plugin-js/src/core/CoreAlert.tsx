import React from 'react';
import { Alert } from '@twilio-paste/core/alert';
import { Button } from '@twilio-paste/core/button';
import { Stack } from '@twilio-paste/core/stack';
import { Text } from '@twilio-paste/core/text';
import { CoreError, CoreLoadError } from 'flexcore';

import { text } from '../utils/strings';
import { StringTemplates } from './strings';

/** Props of {@link CoreAlert}. */
export interface CoreAlertProps {
  /** What failed: a CoreError (shown with its code), a CoreLoadError, or any other Error. */
  error: Error;
  /** Which plugin component failed, shown to the agent (e.g. "flexcore tab"). */
  componentLabel: string;
  /** When given, a "Try again" button calls it. */
  onRetry?: () => void;
}

/** The one-line explanation shown for `error`. */
export function describeError(error: Error, componentLabel: string): { title: string; detail: string } {
  if (error instanceof CoreLoadError) {
    return { title: text(StringTemplates.Unavailable, { component: componentLabel }), detail: error.message };
  }
  if (error instanceof CoreError) {
    return {
      title: text(StringTemplates.ErrorTitle, { component: componentLabel, message: error.message }),
      detail: text(StringTemplates.ErrorCode, { code: error.code }),
    };
  }
  return { title: text(StringTemplates.StoppedWorking, { component: componentLabel }), detail: error.message || error.name };
}

/**
 * A Twilio Paste error Alert for a failure inside a plugin component. Renders text only (never HTML from
 * the error), so messages that echo user input are safe.
 */
export function CoreAlert({ error, componentLabel, onRetry }: CoreAlertProps): JSX.Element {
  const { title, detail } = describeError(error, componentLabel);
  return (
    <Alert variant="error" data-testid="flexcore-alert">
      <Stack orientation="vertical" spacing="space20">
        <Text as="strong" fontWeight="fontWeightSemibold">
          {title}
        </Text>
        <Text as="span" data-testid="flexcore-alert-detail">
          {detail}
        </Text>
        {onRetry ? (
          <Button variant="secondary" size="small" onClick={onRetry}>
            {text(StringTemplates.TryAgain)}
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

export default CoreAlert;
