import React, { useCallback, useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Text } from '@twilio-paste/core/text';
import { CoreError, type FlexCore } from 'flexcore';

import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import { problemText } from '../../../../utils/strings/problems';
import { TASK_SID_REASON_KEYS } from '../../reasons';
import { lookupSegments, type FetchLike, type LookupOutcome } from '../../lookupSegments';

/** Props of {@link SegmentLookup}. */
export interface SegmentLookupProps {
  /** The loaded core: `checkTaskSid` trims and validates the input before anything is sent. */
  core: Pick<FlexCore, 'checkTaskSid'>;
  /** flexcore-server base URL (plugin config `server_url`); undefined when not configured. */
  serverUrl: string | undefined;
  /** Returns the signed-in user's Flex token at the moment of the lookup. */
  getToken: () => string | undefined;
  /** The fetch to use (default: window.fetch). */
  fetchImpl?: FetchLike;
  /** Writes text to the clipboard (default: navigator.clipboard.writeText). */
  copyText?: (text: string) => Promise<void>;
}

type State = { phase: 'idle' } | { phase: 'loading' } | { phase: 'done'; outcome: LookupOutcome };

const defaultFetch: FetchLike = (input, init) => window.fetch(input, init);
const defaultCopy = (text: string): Promise<void> =>
  navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('clipboard unavailable'));

/**
 * The Segment Lookup panel body (seed-behaviour 1.6): a Task SID input (Enter submits), a "Lookup" button
 * ("Loading..." and disabled while a lookup runs, disabled when the input is blank), then "Found N segment
 * ID(s):" with the IDs (each with a Copy button), "No segments found", or "Error: <message>" — the server's
 * error said in the user's language (utils/strings/problems serverErrorText), or why the Task SID is malformed, from
 * the core's reason (nothing is sent).
 */
export function SegmentLookup({
  core,
  serverUrl,
  getToken,
  fetchImpl = defaultFetch,
  copyText = defaultCopy,
}: SegmentLookupProps): JSX.Element {
  const [input, setInput] = useState('');
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const loading = state.phase === 'loading';

  const lookup = useCallback(async () => {
    if (loading || input.trim() === '') return;
    setCopied(undefined);
    let taskSid: string;
    try {
      taskSid = core.checkTaskSid(input);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      setState({ phase: 'done', outcome: { ok: false, message: problemText(TASK_SID_REASON_KEYS, error) } });
      return;
    }
    if (!serverUrl) {
      setState({
        phase: 'done',
        outcome: { ok: false, message: text(StringTemplates.ServerNotConfigured) },
      });
      return;
    }
    const token = getToken();
    if (!token) {
      setState({ phase: 'done', outcome: { ok: false, message: text(StringTemplates.NoToken) } });
      return;
    }
    setState({ phase: 'loading' });
    const outcome = await lookupSegments(fetchImpl, serverUrl, taskSid, token);
    setState({ phase: 'done', outcome });
  }, [core, fetchImpl, getToken, input, loading, serverUrl]);

  const copy = (id: string): void => {
    copyText(id).then(
      () => setCopied(id),
      () => setCopied(undefined),
    );
  };

  return (
    <Box as="div" display="flex" flexDirection="column" rowGap="space40" data-testid="segment-lookup">
      <Box as="div">
        <Label htmlFor="flexcore-segment-lookup-task-sid">{text(StringTemplates.TaskSidLabel)}</Label>
        <Box as="div" display="flex" columnGap="space30">
          <Input
            id="flexcore-segment-lookup-task-sid"
            type="text"
            placeholder={text(StringTemplates.TaskSidPlaceholder)}
            value={input}
            data-testid="segment-lookup-input"
            onChange={(event) => setInput(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') void lookup();
            }}
          />
          <Button
            variant="primary"
            data-testid="segment-lookup-button"
            disabled={loading || input.trim() === ''}
            onClick={() => void lookup()}
          >
            {loading ? text(StringTemplates.Loading) : text(StringTemplates.Lookup)}
          </Button>
        </Box>
      </Box>
      {state.phase === 'done' && !state.outcome.ok ? (
        <Text as="p" color="colorTextError" data-testid="segment-lookup-error">
          {text(StringTemplates.Error, { message: state.outcome.message })}
        </Text>
      ) : null}
      {state.phase === 'done' && state.outcome.ok && state.outcome.segmentIds.length === 0 ? (
        <Text as="p" data-testid="segment-lookup-empty">
          {text(StringTemplates.NoSegments)}
        </Text>
      ) : null}
      {state.phase === 'done' && state.outcome.ok && state.outcome.segmentIds.length > 0 ? (
        <Box as="div" data-testid="segment-lookup-results">
          <Text as="p" fontWeight="fontWeightSemibold" data-testid="segment-lookup-count">
            {text(StringTemplates.Found, { count: state.outcome.segmentIds.length })}
          </Text>
          <Box as="ul" margin="space0" paddingLeft="space50">
            {state.outcome.segmentIds.map((id, index) => (
              // Duplicates are kept (the report may list a segment twice), so the index is part of the key.
              <Box as="li" key={`${index}:${id}`} display="flex" columnGap="space30" alignItems="center">
                <Text as="span" fontFamily="fontFamilyCode" data-testid="segment-lookup-id">
                  {id}
                </Text>
                <Button
                  variant="link"
                  size="small"
                  data-testid="segment-lookup-copy"
                  onClick={() => copy(id)}
                  aria-label={text(StringTemplates.CopyLabel, { id })}
                >
                  {copied === id ? text(StringTemplates.Copied) : text(StringTemplates.Copy)}
                </Button>
              </Box>
            ))}
          </Box>
        </Box>
      ) : null}
    </Box>
  );
}

export default SegmentLookup;
