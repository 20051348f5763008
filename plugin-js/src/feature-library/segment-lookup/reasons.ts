/**
 * The core's reasons for rejecting a typed Task SID (flexcore `SID_REASONS`, from `core.checkTaskSid`) → this
 * feature's strings (flex-hooks/strings). Said with utils/strings/problems `problemText`; a reason missing here
 * (a newer core) shows the core's English message. strings.test.ts checks every reason has an entry.
 */
import type { SidReason } from 'flexcore';

import type { ReasonKeys } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/** Reason → key of the Segment Lookup strings; params `prefix`, `length` fill the placeholders. */
export const TASK_SID_REASON_KEYS: ReasonKeys<SidReason> = {
  required: StringTemplates.TaskSidRequired,
  sid_wrong_length: StringTemplates.TaskSidWrongLength,
  sid_wrong_prefix: StringTemplates.TaskSidWrongPrefix,
  sid_not_hex: StringTemplates.TaskSidNotHex,
};
