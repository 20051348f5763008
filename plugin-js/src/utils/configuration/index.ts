/**
 * The plugin's runtime configuration.
 *
 * Source of truth: the Flex configuration's `ui_attributes.custom_data.features.flexcore` object (set with
 * the Flex Configuration API or the Twilio CLI; Flex merges ui_attributes into `manager.configuration`).
 * Build-time fallbacks: `FLEX_APP_*` variables from plugin-js/.env (the Flex tooling inlines only
 * FLEX_APP_ / REACT_APP_ variables). ui_attributes win over the fallbacks.
 *
 * ```json
 * "custom_data": { "features": { "flexcore": {
 *   "enabled": true,
 *   "server_url": "https://flexcore.example.com",
 *   "core_status": { "enabled": true },
 *   "segment_lookup": { "enabled": true }
 * } } }
 * ```
 * Keys are documented in plugin-js/README.md. A value of the wrong type is ignored with a warning (and
 * listed in `problems`), never fatal.
 */
import { logger } from '../logger';

/** The resolved configuration the features read. */
export interface FlexcoreConfig {
  /** Master switch for every flexcore feature (`enabled`, default true). */
  enabled: boolean;
  /**
   * Base URL of flexcore-server, without a trailing slash (`server_url`, fallback
   * FLEX_APP_FLEXCORE_SERVER_URL); undefined when not configured. Only http: and https: URLs are accepted.
   */
  serverUrl: string | undefined;
  /** The "flexcore" task canvas tab (`core_status.enabled`, fallback FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED, default true). */
  coreStatus: { enabled: boolean };
  /** The Segment Lookup panel (`segment_lookup.enabled`, default true). */
  segmentLookup: { enabled: boolean };
  /**
   * Callback and voicemail (`callback.enabled`, default true; `callback.max_attempts`, fallback
   * FLEX_APP_CALLBACK_RETRY_ATTEMPTS). `maxAttempts` is the raw value: the core's maxAttemptsFromConfig turns
   * it into a number (default 3).
   */
  callback: { enabled: boolean; maxAttempts: string | number | undefined };
  /** Human-readable problems found while reading the configuration (wrong types, bad URLs), in English (logged). */
  problems: string[];
  /** The same problems, in the same order, with a reason and params the flexcore tab says in the user's language. */
  problemDetails: ConfigProblem[];
}

/**
 * Why a configuration value was not used (the default or fallback was used instead). Params: `key` (the
 * ui_attributes path, e.g. "core_status.enabled", or the FLEX_APP_* variable name) and `got` (the value as JSON;
 * for `not_http` the URL's scheme).
 */
export type ConfigReason = 'not_object' | 'not_boolean' | 'env_not_boolean' | 'not_url_string' | 'not_absolute_url' | 'not_http' | 'not_number';

/** Every {@link ConfigReason} (the strings tests check each has a key in the flexcore tab's table). */
export const CONFIG_REASONS: readonly ConfigReason[] = [
  'not_object',
  'not_boolean',
  'env_not_boolean',
  'not_url_string',
  'not_absolute_url',
  'not_http',
  'not_number',
];

/** One configuration problem: the English text (for the log) and what is wrong, machine-readable. */
export interface ConfigProblem {
  message: string;
  reason: ConfigReason;
  params: { key: string; got: string };
}

/** Collects problems while reading (English message, reason and params together). */
class Problems {
  readonly details: ConfigProblem[] = [];
  add(reason: ConfigReason, key: string, got: string, message: string): void {
    this.details.push({ message, reason, params: { key, got } });
  }
}

/** The raw shape as stored in ui_attributes (every key optional, any type until checked). */
export interface RawFlexcoreAttributes {
  enabled?: unknown;
  server_url?: unknown;
  core_status?: { enabled?: unknown } | unknown;
  segment_lookup?: { enabled?: unknown } | unknown;
  callback?: { enabled?: unknown; max_attempts?: unknown } | unknown;
}

/** Build-time fallbacks; read as literal `process.env.FLEX_APP_…` so the Flex tooling can inline them. */
export interface FlexcoreEnv {
  FLEX_APP_FLEXCORE_SERVER_URL?: string;
  FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED?: string;
  FLEX_APP_CALLBACK_RETRY_ATTEMPTS?: string;
}

/** The FLEX_APP_* fallbacks of this build. */
export function buildEnv(): FlexcoreEnv {
  return {
    FLEX_APP_FLEXCORE_SERVER_URL: process.env.FLEX_APP_FLEXCORE_SERVER_URL,
    FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED: process.env.FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED,
    FLEX_APP_CALLBACK_RETRY_ATTEMPTS: process.env.FLEX_APP_CALLBACK_RETRY_ATTEMPTS,
  };
}

/** The parts of the Flex manager read here (Flex.Manager satisfies it). */
export interface ManagerLike {
  configuration?: unknown;
  serviceConfiguration?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asRecord = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** `ui_attributes.custom_data.features.flexcore` from the manager, or {} when absent. */
export function readFlexcoreAttributes(manager: ManagerLike | undefined): RawFlexcoreAttributes {
  const configuration = asRecord(manager?.configuration);
  const serviceConfiguration = asRecord(manager?.serviceConfiguration);
  const uiAttributes = asRecord(serviceConfiguration.ui_attributes);
  const customData = isRecord(configuration.custom_data) ? configuration.custom_data : uiAttributes.custom_data;
  if (!isRecord(customData)) return {};
  const features = customData.features;
  if (!isRecord(features)) return {};
  const flexcore = features.flexcore;
  return isRecord(flexcore) ? (flexcore as RawFlexcoreAttributes) : {};
}

function readBoolean(
  value: unknown,
  envValue: string | undefined,
  fallback: boolean,
  key: string,
  problems: Problems,
): boolean {
  if (typeof value === 'boolean') return value;
  if (value !== undefined) problems.add('not_boolean', key, JSON.stringify(value), `${key} must be true or false, got ${JSON.stringify(value)}`);
  if (envValue !== undefined && envValue !== '') {
    if (envValue === 'true') return true;
    if (envValue === 'false') return false;
    problems.add(
      'env_not_boolean',
      key,
      JSON.stringify(envValue),
      `environment fallback for ${key} must be "true" or "false", got ${JSON.stringify(envValue)}`,
    );
  }
  return fallback;
}

function readUrl(value: unknown, envValue: string | undefined, key: string, problems: Problems): string | undefined {
  let candidate: unknown = value;
  let origin = key;
  let name = key;
  if (candidate === undefined || candidate === '') {
    candidate = envValue === '' ? undefined : envValue;
    origin = `FLEX_APP_FLEXCORE_SERVER_URL (fallback for ${key})`;
    name = 'FLEX_APP_FLEXCORE_SERVER_URL';
  }
  if (candidate === undefined) return undefined;
  if (typeof candidate !== 'string') {
    problems.add('not_url_string', name, JSON.stringify(candidate), `${origin} must be a URL string, got ${JSON.stringify(candidate)}`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(candidate.trim());
  } catch {
    problems.add('not_absolute_url', name, JSON.stringify(candidate), `${origin} must be an absolute http(s) URL, got ${JSON.stringify(candidate)}`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add('not_http', name, url.protocol, `${origin} must use http or https, got ${url.protocol}`);
    return undefined;
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Resolves the configuration from ui_attributes (`attributes`) and the FLEX_APP_* fallbacks (`env`).
 * Pure: no Flex access, no logging; see {@link getFlexcoreConfig} for the logged, manager-based variant.
 */
export function resolveFlexcoreConfig(attributes: RawFlexcoreAttributes, env: FlexcoreEnv): FlexcoreConfig {
  const problems = new Problems();
  const coreStatusRaw = attributes.core_status;
  if (coreStatusRaw !== undefined && !isRecord(coreStatusRaw)) {
    problems.add('not_object', 'core_status', JSON.stringify(coreStatusRaw), `core_status must be an object, got ${JSON.stringify(coreStatusRaw)}`);
  }
  const coreStatus = isRecord(coreStatusRaw) ? coreStatusRaw : {};
  const segmentLookupRaw = attributes.segment_lookup;
  if (segmentLookupRaw !== undefined && !isRecord(segmentLookupRaw)) {
    problems.add('not_object', 'segment_lookup', JSON.stringify(segmentLookupRaw), `segment_lookup must be an object, got ${JSON.stringify(segmentLookupRaw)}`);
  }
  const segmentLookup = isRecord(segmentLookupRaw) ? segmentLookupRaw : {};
  const callbackRaw = attributes.callback;
  if (callbackRaw !== undefined && !isRecord(callbackRaw)) {
    problems.add('not_object', 'callback', JSON.stringify(callbackRaw), `callback must be an object, got ${JSON.stringify(callbackRaw)}`);
  }
  const callback = isRecord(callbackRaw) ? callbackRaw : {};
  const maxAttemptsRaw = callback.max_attempts;
  if (maxAttemptsRaw !== undefined && typeof maxAttemptsRaw !== 'number' && typeof maxAttemptsRaw !== 'string') {
    problems.add(
      'not_number',
      'callback.max_attempts',
      JSON.stringify(maxAttemptsRaw),
      `callback.max_attempts must be a number, got ${JSON.stringify(maxAttemptsRaw)}`,
    );
  }
  return {
    enabled: readBoolean(attributes.enabled, undefined, true, 'enabled', problems),
    serverUrl: readUrl(attributes.server_url, env.FLEX_APP_FLEXCORE_SERVER_URL, 'server_url', problems),
    coreStatus: {
      enabled: readBoolean(
        coreStatus.enabled,
        env.FLEX_APP_FLEXCORE_CORE_STATUS_ENABLED,
        true,
        'core_status.enabled',
        problems,
      ),
    },
    segmentLookup: { enabled: readBoolean(segmentLookup.enabled, undefined, true, 'segment_lookup.enabled', problems) },
    callback: {
      enabled: readBoolean(callback.enabled, undefined, true, 'callback.enabled', problems),
      maxAttempts:
        typeof maxAttemptsRaw === 'number' || typeof maxAttemptsRaw === 'string'
          ? maxAttemptsRaw
          : env.FLEX_APP_CALLBACK_RETRY_ATTEMPTS,
    },
    problems: problems.details.map((p) => p.message),
    problemDetails: problems.details,
  };
}

/**
 * The configuration for this Flex session, with problems logged once per call as warnings.
 * @param manager the Flex manager passed to the plugin's init()
 */
export function getFlexcoreConfig(manager: ManagerLike | undefined, env: FlexcoreEnv = buildEnv()): FlexcoreConfig {
  const config = resolveFlexcoreConfig(readFlexcoreAttributes(manager), env);
  for (const problem of config.problems) logger.warn(`ui_attributes.custom_data.features.flexcore: ${problem}`);
  return config;
}
