import React, { useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import type * as Flex from '@twilio/flex-ui';
import type { FlexCore } from 'flexcore';

import { FlexcorePanel } from '../../../../components/FlexcorePanel/FlexcorePanel';
import { placeCall, retryLater, workerIsOffline, type CallbackEnv } from '../../callbackActions';
import type { CallbackTaskLike } from '../../taskTypes';
import { DEFAULT_LOCALE, resolveLocale, text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';

/**
 * Formats an instant in `timeZone` the way the seed does (numeric date and time, short zone name), in `locale`
 * (a BCP 47 tag; default: the browser's, as the seed).
 */
export function formatInZone(isoUtc: string, timeZone: string, locale?: string): string {
  const date = new Date(isoUtc);
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** Props of {@link CallbackPanelContent}. */
export interface CallbackPanelProps {
  task?: CallbackTaskLike;
  flex: CallbackEnv['flex'];
  manager: Flex.Manager;
  serverUrl: string | undefined;
  /** The configured max attempts (raw; the core turns it into a number, default 3). */
  maxAttemptsSetting: string | number | undefined;
  /** Test seams for Retry Later. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

function Row({ label, children }: { label: string; children: React.ReactNode }): JSX.Element {
  return (
    <Box as="div" display="flex" columnGap="space40" alignItems="baseline">
      <Box as="div" minWidth="size20">
        <Text as="span" fontWeight="fontWeightSemibold" color="colorTextWeak">
          {label}
        </Text>
      </Box>
      <Box as="div">{children}</Box>
    </Box>
  );
}

/** The panel body once the core is loaded. */
export function CallbackView({ core, ...props }: CallbackPanelProps & { core: FlexCore }): JSX.Element | null {
  const { task, flex, manager, serverUrl } = props;
  const [busy, setBusy] = useState<'call' | 'requeue' | undefined>();
  if (!task) return null;
  const maxAttempts = core.maxAttemptsFromConfig(props.maxAttemptsSetting);
  const view = core.callbackView(task.attributes ?? {}, { maxAttempts });
  if (!view) return null;
  // Dates in Flex's language when it is not the default (then the browser's, as the seed).
  const flexLocale = resolveLocale(manager as never);
  const dateLocale = flexLocale === DEFAULT_LOCALE ? undefined : flexLocale;
  const env: CallbackEnv = { flex, manager, core, serverUrl, maxAttempts, fetch: props.fetchImpl, sleep: props.sleep };
  // Flex: ITask.taskStatus is the task's assignment status ('assigned' while the agent works on it);
  // ITask.status is the reservation's ('accepted').
  const actionable = task.taskStatus === 'assigned' && busy === undefined;
  const run = async (kind: 'call' | 'requeue') => {
    setBusy(kind);
    try {
      if (kind === 'call') await placeCall(env, task);
      else await retryLater(env, task);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Box as="div" display="flex" flexDirection="column" rowGap="space40" data-testid="callback-panel" data-task-type={view.taskType}>
      <Box as="div">
        <Text as="h2" fontSize="fontSize40" fontWeight="fontWeightBold" data-testid="callback-heading">
          {text(view.taskType === 'callback' ? StringTemplates.HeadingCallback : StringTemplates.HeadingVoicemail)}
        </Text>
        <Text as="p" color="colorTextWeak">
          {text(view.taskType === 'callback' ? StringTemplates.DescriptionCallback : StringTemplates.DescriptionVoicemail)}
        </Text>
      </Box>
      {view.showRecording && view.recordingUrl ? (
        <Row label={text(StringTemplates.Recording)}>
          {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
          <audio controls src={view.recordingUrl} data-testid="callback-recording" />
        </Row>
      ) : null}
      {view.showTranscript ? (
        <Row label={text(StringTemplates.Transcript)}>
          <Text as="span" data-testid="callback-transcript">
            {view.transcript}
          </Text>
        </Row>
      ) : null}
      <Row label={text(StringTemplates.ContactPhone)}>
        <Text as="span" data-testid="callback-contact-phone">
          {view.contactPhone}
        </Text>
      </Row>
      <Row label={text(StringTemplates.ReceptionTime)}>
        <Text
          as="span"
          data-testid="callback-received"
          title={text(StringTemplates.SystemTime, { time: formatInZone(view.receivedUtc, view.systemTimeZone, dateLocale) })}
        >
          {formatInZone(view.receivedUtc, view.agentTimeZone, dateLocale)}
        </Text>
      </Row>
      <Row label={text(StringTemplates.Attempt)}>
        <Text as="span" data-testid="callback-attempt">
          {text(StringTemplates.AttemptOf, { attempt: view.attempt, maxAttempts: view.maxAttempts })}
        </Text>
      </Row>
      <Box as="div" display="flex" columnGap="space30">
        <Button
          variant="primary"
          data-testid="callback-place-call"
          disabled={!actionable || workerIsOffline(manager)}
          loading={busy === 'call'}
          onClick={() => void run('call')}
        >
          {text(StringTemplates.PlaceCallNow, { phone: view.contactPhone })}
        </Button>
        {view.retryLaterOffered ? (
          <Button
            variant="secondary"
            data-testid="callback-retry-later"
            disabled={!actionable}
            loading={busy === 'requeue'}
            onClick={() => void run('requeue')}
          >
            {text(StringTemplates.RetryLater)}
          </Button>
        ) : null}
      </Box>
    </Box>
  );
}

/** The TaskInfoPanel replacement for callback and voicemail tasks (seed-behaviour 4.5). */
export function CallbackPanelContent(props: CallbackPanelProps): JSX.Element {
  return (
    <FlexcorePanel title={text(StringTemplates.Title)} testId="flexcore-callback">
      {(core) => <CallbackView core={core} {...props} />}
    </FlexcorePanel>
  );
}
