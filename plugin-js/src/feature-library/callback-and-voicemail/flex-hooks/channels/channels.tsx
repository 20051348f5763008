import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import { text } from '../../../../utils/strings';
import { channelTitle, isVoiceTaskOfType, type CallbackTaskLike } from '../../taskTypes';
import { StringTemplates } from '../strings';

/** Phone with a return arrow (callback), 24×24. */
export function CallbackIcon(): JSX.Element {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-label={text(StringTemplates.ChannelCallback)} role="img" fill="currentColor">
      <path d="M20 15.5c-1.25 0-2.45-.2-3.57-.57a1 1 0 0 0-1.02.24l-2.2 2.2a15.05 15.05 0 0 1-6.59-6.59l2.2-2.21a.96.96 0 0 0 .25-1A11.4 11.4 0 0 1 8.5 4a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1 17 17 0 0 0 17 17 1 1 0 0 0 1-1v-3.5a1 1 0 0 0-1-1zM18 6.41 12.41 12H16v2H9V7h2v3.59L16.59 5z" />
    </svg>
  );
}

/** Tape reels (voicemail), 24×24. */
export function VoicemailIcon(): JSX.Element {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-label={text(StringTemplates.ChannelVoicemail)} role="img" fill="currentColor">
      <path d="M18.5 6A5.5 5.5 0 0 0 14.3 15H9.7A5.5 5.5 0 1 0 5.5 17h13a5.5 5.5 0 0 0 0-11zm-13 9a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zm13 0a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z" />
    </svg>
  );
}

/** Colours of the seed: palegreen (callback), deepskyblue (voicemail). */
export const CHANNEL_COLORS = { callback: 'palegreen', voicemail: 'deepskyblue' } as const;

/**
 * A presentation channel over TaskRouter's `voice` channel, applicable when `attributes.taskType` is
 * `type`; list/canvas titles "<queueName>: <attributes.name>", incoming canvas "<queueName>".
 */
export function buildChannel(flex: FlexGlobal, type: 'callback' | 'voicemail'): Flex.TaskChannelDefinition {
  const icon = type === 'callback' ? <CallbackIcon /> : <VoicemailIcon />;
  const definition = flex.DefaultTaskChannels.createDefaultTaskChannel(
    type,
    (task: Flex.ITask) => isVoiceTaskOfType(task as unknown as CallbackTaskLike, type),
    icon,
    icon,
    CHANNEL_COLORS[type],
  );
  const title = (task: Flex.ITask) => channelTitle(task as unknown as CallbackTaskLike);
  const templates = (definition.templates ?? {}) as Record<string, Record<string, unknown> | undefined>;
  definition.templates = {
    ...templates,
    TaskListItem: { ...(templates.TaskListItem ?? {}), firstLine: title },
    TaskCanvasHeader: { ...(templates.TaskCanvasHeader ?? {}), title },
    IncomingTaskCanvas: { ...(templates.IncomingTaskCanvas ?? {}), firstLine: (task: Flex.ITask) => task.queueName ?? '' },
  } as Flex.TaskChannelDefinition['templates'];
  return definition;
}
