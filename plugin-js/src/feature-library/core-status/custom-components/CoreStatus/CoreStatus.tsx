import React from 'react';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';
import type { FlexCore } from 'flexcore';

import { text } from '../../../../utils/strings';
import { StringTemplates } from '../../flex-hooks/strings';
import { checkTaskSid } from '../../taskSidCheck';
import { CONFIG_REASON_KEYS, TASK_SID_REASON_KEYS } from '../../reasons';
import type { ConfigProblem } from '../../../../utils/configuration';
import { problemText } from '../../../../utils/strings/problems';

/** Props of {@link CoreStatus}. */
export interface CoreStatusProps {
  /** The loaded core. */
  core: FlexCore;
  /** The selected task's SID (`task.taskSid`), or undefined when no task is selected. */
  taskSid: string | undefined;
  /** The configured flexcore-server base URL, or undefined when not configured. */
  serverUrl: string | undefined;
  /**
   * Configuration problems to show (from ui_attributes.custom_data.features.flexcore): a ConfigProblem is said in the
   * user's language from its reason (English message for an unknown one); a plain string is shown as given.
   */
  configProblems?: (string | ConfigProblem)[];
}

function Row({ label, children }: { label: string; children: React.ReactNode }): JSX.Element {
  return (
    <Box display="flex" columnGap="space40" alignItems="baseline" as="div">
      <Box minWidth="size20" as="div">
        <Text as="span" fontWeight="fontWeightSemibold" color="colorTextWeak">
          {label}
        </Text>
      </Box>
      <Box as="div">{children}</Box>
    </Box>
  );
}

/**
 * The core status of the selected task: the core's version, the task's Task SID and the core's verdict on
 * it (valid, or why not: the core's reason said in the user's language, its English message for an unknown
 * reason; the error code stays available as the badge's data-code), and which flexcore-server the plugin is configured for.
 */
export function CoreStatus({ core, taskSid, serverUrl, configProblems = [] }: CoreStatusProps): JSX.Element {
  const verdict = taskSid === undefined ? undefined : checkTaskSid(core, taskSid);
  return (
    <Box as="div" display="flex" flexDirection="column" rowGap="space30">
      <Row label={text(StringTemplates.CoreVersion)}>
        <Text as="span" data-testid="flexcore-core-version">
          {core.version}
        </Text>
      </Row>
      <Row label={text(StringTemplates.TaskSid)}>
        <Text as="span" fontFamily="fontFamilyCode" data-testid="flexcore-task-sid">
          {taskSid ?? text(StringTemplates.NoTaskSelected)}
        </Text>
      </Row>
      {verdict ? (
        <Row label={text(StringTemplates.TaskSidCheck)}>
          {verdict.valid ? (
            <Badge as="span" variant="success" data-testid="flexcore-task-sid-verdict">
              {text(StringTemplates.ValidTaskSid)}
            </Badge>
          ) : (
            <Box as="div" display="flex" flexDirection="column" rowGap="space10">
              <Badge as="span" variant="error" data-testid="flexcore-task-sid-verdict" data-code={verdict.code}>
                {text(StringTemplates.InvalidTaskSid)}
              </Badge>
              <Text as="span" data-testid="flexcore-task-sid-message" data-reason={verdict.reason}>
                {problemText(TASK_SID_REASON_KEYS, verdict)}
              </Text>
            </Box>
          )}
        </Row>
      ) : null}
      <Row label={text(StringTemplates.Server)}>
        <Text as="span" data-testid="flexcore-server-url">
          {serverUrl ?? text(StringTemplates.ServerNotConfigured)}
        </Text>
      </Row>
      {configProblems.length > 0 ? (
        <Row label={text(StringTemplates.Configuration)}>
          <Box as="ul" margin="space0" paddingLeft="space50" data-testid="flexcore-config-problems">
            {configProblems.map((problem, index) => (
              <Text as="li" key={index} color="colorTextWarning" data-reason={typeof problem === 'string' ? undefined : problem.reason}>
                {typeof problem === 'string' ? problem : problemText(CONFIG_REASON_KEYS, problem)}
              </Text>
            ))}
          </Box>
        </Row>
      ) : null}
    </Box>
  );
}

export default CoreStatus;
