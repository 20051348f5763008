/**
 * The core's reasons for rejecting the selected task's SID (flexcore `SID_REASONS`, from `core.checkSid(…, 'WT', …)`) → this
 * feature's strings (flex-hooks/strings). Said with utils/strings/problems `problemText`; a reason missing here
 * (a newer core) shows the core's English message. strings.test.ts checks every reason has an entry.
 */
import type { SidReason } from 'flexcore';

import type { ConfigReason } from '../../utils/configuration';
import type { ReasonKeys } from '../../utils/strings/problems';
import { StringTemplates } from './flex-hooks/strings';

/** Reason → key of the flexcore tab's strings; params `prefix`, `length` fill the placeholders. */
export const TASK_SID_REASON_KEYS: ReasonKeys<SidReason> = {
  required: StringTemplates.TaskSidRequired,
  sid_wrong_length: StringTemplates.TaskSidWrongLength,
  sid_wrong_prefix: StringTemplates.TaskSidWrongPrefix,
  sid_not_hex: StringTemplates.TaskSidNotHex,
};

/**
 * Why a value of `ui_attributes.custom_data.features.flexcore` was not used (utils/configuration
 * `ConfigProblem.reason`, read by the plugin itself) → the flexcore tab's strings; params `key`, `got`.
 */
export const CONFIG_REASON_KEYS: ReasonKeys<ConfigReason> = {
  not_object: StringTemplates.ConfigNotObject,
  not_boolean: StringTemplates.ConfigNotBoolean,
  env_not_boolean: StringTemplates.ConfigEnvNotBoolean,
  not_url_string: StringTemplates.ConfigNotUrlString,
  not_absolute_url: StringTemplates.ConfigNotAbsoluteUrl,
  not_http: StringTemplates.ConfigNotHttp,
  not_number: StringTemplates.ConfigNotNumber,
};
