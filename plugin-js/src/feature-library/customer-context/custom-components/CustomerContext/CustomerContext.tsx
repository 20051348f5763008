import React, { useCallback, useEffect, useState } from 'react';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Spinner } from '@twilio-paste/core/spinner';
import { Stack } from '@twilio-paste/core/stack';
import { Text } from '@twilio-paste/core/text';
import type { ContextRow, FlexCore, SegmentEventRow } from 'flexcore';

import { StringTemplates as CoreStrings } from '../../../../core/strings';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import { fetchPersona as defaultFetchPersona, type FetchPersona, type PersonaResult } from '../../personaClient';

/** Props of {@link CustomerContext}. */
export interface CustomerContextProps {
  /** The loaded core (contextRows / traitRows / eventRows live there: one home for the display rules). */
  core: FlexCore;
  /** The task's attributes (`task.attributes`), an object or its JSON text; anything else shows no context. */
  attributes: unknown;
  /** The Segment identifier read from the task (settings.userIdAttribute); undefined hides the Segment section. */
  userId: string | undefined;
  /** Segment identifier type sent as `idType`. */
  idType: string;
  /** flexcore-server base URL; undefined hides the Segment section (seed: empty FLEX_APP_FUNCTIONS_BASE). */
  serverUrl: string | undefined;
  /** The Flex token (`manager.user.token`) sent as `Token`. */
  token: string | undefined;
  /** Show nested context objects as dotted keys. */
  flatten?: boolean;
  /** The persona call (tests inject one; default POSTs to `${serverUrl}/fetch-persona`). */
  fetchPersona?: FetchPersona;
}

/** http(s) URLs are shown as links; anything else (javascript:, data:, text) stays text. */
function linkTarget(row: ContextRow): string | undefined {
  if (row.kind !== 'string' || !/^https?:\/\/\S+$/i.test(row.value)) return undefined;
  try {
    const url = new URL(row.value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** One key/value list; values are React text (never HTML). */
export function RowList({ rows, testId }: { rows: ContextRow[]; testId: string }): JSX.Element {
  return (
    <Box as="dl" margin="space0" data-testid={testId}>
      {rows.map((row, index) => {
        const href = linkTarget(row);
        return (
          // Keys can repeat after flattening or truncation: the index keeps React keys unique.
          // eslint-disable-next-line react/no-array-index-key
          <Box key={`${index}:${row.key}`} display="flex" columnGap="space40" alignItems="baseline" marginBottom="space20" data-testid={`${testId}-row`}>
            <Box as="dt" minWidth="size20" maxWidth="size30" style={{ overflowWrap: 'anywhere' }}>
              <Text as="span" fontWeight="fontWeightSemibold" color="colorTextWeak" textTransform="uppercase" data-testid="row-key">
                {row.key}
              </Text>
            </Box>
            <Box as="dd" margin="space0" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer" data-testid="row-value">
                  {row.value}
                </a>
              ) : (
                <Text
                  as="span"
                  fontFamily={row.kind === 'object' || row.kind === 'array' ? 'fontFamilyCode' : undefined}
                  color={row.kind === 'omitted' ? 'colorTextWeak' : undefined}
                  data-testid="row-value"
                >
                  {row.value}
                </Text>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

function BotContext({ core, attributes, flatten }: Pick<CustomerContextProps, 'core' | 'attributes' | 'flatten'>): JSX.Element {
  let rows: ContextRow[] = [];
  let problem: string | undefined;
  try {
    rows = attributes === undefined || attributes === null ? [] : core.contextRows(attributes as never, { flatten: flatten === true });
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return (
    <Box as="section" data-testid="customer-bot-context">
      <Heading as="h4" variant="heading40">
        {text(StringTemplates.BotContext)}
      </Heading>
      {problem ? (
        <Text as="p" color="colorTextError" data-testid="customer-bot-context-error">
          {text(StringTemplates.AttributesUnreadable, { problem })}
        </Text>
      ) : rows.length === 0 ? (
        <Text as="p" color="colorTextWeak" data-testid="customer-bot-context-empty">
          {text(StringTemplates.NoContext)}
        </Text>
      ) : (
        <RowList rows={rows} testId="customer-context-rows" />
      )}
    </Box>
  );
}

function EventTimeline({ events }: { events: SegmentEventRow[] }): JSX.Element {
  if (events.length === 0) {
    return (
      <Text as="p" color="colorTextWeak" data-testid="customer-events-empty">
        {text(StringTemplates.NoRecentEvents)}
      </Text>
    );
  }
  return (
    <Box as="ol" margin="space0" paddingLeft="space0" style={{ listStyle: 'none' }} data-testid="customer-events">
      {events.map((event, index) => (
        // eslint-disable-next-line react/no-array-index-key
        <Box as="li" key={`${index}:${event.timestamp}`} marginBottom="space40" data-testid="customer-event">
          <Text as="span" fontWeight="fontWeightSemibold" data-testid="customer-event-name">
            {event.name || text(StringTemplates.UnnamedEvent)}
          </Text>{' '}
          <Text as="span" color="colorTextWeak" data-testid="customer-event-time">
            {event.displayTime || event.timestamp}
          </Text>
          {event.properties.length > 0 ? <RowList rows={event.properties} testId="customer-event-properties" /> : null}
        </Box>
      ))}
    </Box>
  );
}

type SegmentState = { state: 'loading' } | PersonaResult;

function SegmentProfile({
  core,
  userId,
  idType,
  serverUrl,
  token,
  fetchPersona,
}: Required<Pick<CustomerContextProps, 'core' | 'idType' | 'fetchPersona'>> & {
  userId: string;
  serverUrl: string;
  token: string | undefined;
}): JSX.Element | null {
  const [result, setResult] = useState<SegmentState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    if (!token) {
      setResult({ state: 'error', message: text(StringTemplates.NoToken) });
      return undefined;
    }
    fetchPersona({ serverUrl, token, idType, identifier: userId }).then(
      (answer) => live && setResult(answer),
      (error: unknown) => live && setResult({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [fetchPersona, serverUrl, token, idType, userId, attempt]);

  // Not configured on the server: the section is hidden (seed: Segment disabled without a functions base).
  if (result.state === 'not-configured') return null;

  let body: React.ReactNode;
  if (result.state === 'loading') {
    body = (
      <Stack orientation="horizontal" spacing="space30">
        <Spinner decorative title={text(CoreStrings.LoadingTitle)} />
        <Text as="span" data-testid="customer-segment-loading">
          {text(StringTemplates.LoadingProfile)}
        </Text>
      </Stack>
    );
  } else if (result.state === 'no-profile') {
    body = (
      <Text as="p" color="colorTextWeak" data-testid="customer-segment-no-profile">
        {text(StringTemplates.NoProfile, { idType, userId })}
      </Text>
    );
  } else if (result.state === 'error') {
    body = (
      <Alert variant="error" data-testid="customer-segment-error">
        <Stack orientation="vertical" spacing="space20">
          <Text as="span">{text(StringTemplates.LoadFailed, { message: result.message })}</Text>
          <Box>
            <Button variant="secondary" size="small" onClick={retry}>
              {text(CoreStrings.TryAgain)}
            </Button>
          </Box>
        </Stack>
      </Alert>
    );
  } else {
    let traits: ContextRow[] = [];
    let events: SegmentEventRow[] = [];
    let problem: string | undefined;
    try {
      traits = core.traitRows(result.traits);
      events = core.eventRows(result.events);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    body = problem ? (
      <Text as="p" color="colorTextError" data-testid="customer-segment-error">
        {text(StringTemplates.CannotShow, { problem })}
      </Text>
    ) : (
      <Stack orientation="vertical" spacing="space40">
        <Heading as="h5" variant="heading50">
          {text(StringTemplates.Traits)}
        </Heading>
        {traits.length > 0 ? (
          <RowList rows={traits} testId="customer-traits" />
        ) : (
          <Text as="p" color="colorTextWeak" data-testid="customer-traits-empty">
            {text(StringTemplates.NoTraits)}
          </Text>
        )}
        <Heading as="h5" variant="heading50">
          {text(StringTemplates.Events)}
        </Heading>
        <EventTimeline events={events} />
      </Stack>
    );
  }
  return (
    <Box as="section" data-testid="customer-segment" marginTop="space60">
      <Heading as="h4" variant="heading40">
        {text(StringTemplates.SegmentProfile)}
      </Heading>
      {body}
    </Box>
  );
}

/**
 * The "Customer" tab body (issue 5; seed-behaviour 2.2 and 2.7 CORRECT): "Bot context" (the rows of
 * `attributes.context` from the core, shown for every task) and "Segment profile" (traits, then the events
 * timeline newest first, fetched through flexcore-server). The Segment section is hidden without a user id
 * or a server, and when the server has no Segment settings. Nothing from attributes is rendered as HTML;
 * http(s) URL values are links with rel="noopener noreferrer".
 */
export function CustomerContext({
  core,
  attributes,
  userId,
  idType,
  serverUrl,
  token,
  flatten,
  fetchPersona = defaultFetchPersona,
}: CustomerContextProps): JSX.Element {
  return (
    <Box as="div" data-testid="customer-context">
      <BotContext core={core} attributes={attributes} flatten={flatten} />
      {userId !== undefined && serverUrl !== undefined ? (
        <SegmentProfile
          key={`${idType}:${userId}`}
          core={core}
          userId={userId}
          idType={idType}
          serverUrl={serverUrl}
          token={token}
          fetchPersona={fetchPersona}
        />
      ) : null}
    </Box>
  );
}

export default CustomerContext;
