import type * as Flex from '@twilio/flex-ui';

import callbackAndVoicemail from '../../feature-library/callback-and-voicemail';
import coreStatus from '../../feature-library/core-status';
import segmentLookup from '../../feature-library/segment-lookup';
import customerContext from '../../feature-library/customer-context';
import agentExtensions from '../../feature-library/agent-extensions';
import hangUpBy from '../../feature-library/hang-up-by';
import type { Feature, FlexGlobal } from '../../types/feature';
import { getFlexcoreConfig } from '../configuration';
import { logger } from '../logger';
import { registerStrings, resolveLocale } from '../strings';
import { stringHook as coreStringHook } from '../../core/strings';
import { hookName, installHook } from './components';

/** Every feature of the plugin, in registration order (explicit list, no glob loader). */
export const FEATURES: readonly Feature[] = [
  coreStatus,
  segmentLookup,
  customerContext,
  agentExtensions,
  callbackAndVoicemail,
  hangUpBy,
];

/** What initFeatures() did, for logs and tests. */
export interface InitReport {
  /** `<feature>/<hook name>` of every hook installed. */
  installed: string[];
  /** Features (or hooks) that threw while registering, with the error; Flex continues without them. */
  failed: { feature: string; error: unknown }[];
}

/**
 * Registers every enabled feature's hooks. Each feature and each hook runs in its own try/catch, so one
 * broken feature never stops the others or Flex itself.
 * @param flex the `flex` object from the plugin's init()
 * @param manager the Flex manager from the plugin's init()
 * @param features the features to register (default: {@link FEATURES})
 */
export function initFeatures(
  flex: FlexGlobal,
  manager: Flex.Manager,
  features: readonly Feature[] = FEATURES,
): InitReport {
  const report: InitReport = { installed: [], failed: [] };
  const config = getFlexcoreConfig(manager);
  if (!config.enabled) {
    logger.info('disabled by ui_attributes.custom_data.features.flexcore.enabled = false');
    return report;
  }
  // Strings first (components and notifications read them): the shared core strings, then each feature's.
  const locale = resolveLocale(manager as never);
  try {
    registerStrings(manager as never, 'core', coreStringHook(), locale);
  } catch (error) {
    logger.error('core: strings could not be registered', error);
  }
  for (const feature of features) {
    let hooks;
    try {
      hooks = feature.register(config).hooks;
      if (feature.strings && hooks.length > 0) registerStrings(manager as never, feature.name, feature.strings(), locale);
    } catch (error) {
      logger.error(`${feature.name}: could not be registered; Flex continues without it`, error);
      report.failed.push({ feature: feature.name, error });
      continue;
    }
    for (const hook of hooks) {
      try {
        installHook(flex, manager, config, feature.name, hook);
        report.installed.push(`${feature.name}/${hookName(hook)}`);
      } catch (error) {
        logger.error(`${feature.name}: hook ${hookName(hook)} failed; Flex continues without it`, error);
        report.failed.push({ feature: feature.name, error });
      }
    }
  }
  return report;
}
