import type * as Flex from '@twilio/flex-ui';

import type { ComponentHook, FlexGlobal } from '../../types/feature';
import type { FlexcoreConfig } from '../configuration';
import { logger } from '../logger';

/**
 * Installs one component hook and logs it as `<feature>: <hook function name> → <Flex component>`.
 * @throws whatever the hook throws (the caller isolates features from each other)
 */
export function addComponentHook(
  flex: FlexGlobal,
  manager: Flex.Manager,
  config: FlexcoreConfig,
  featureName: string,
  hook: ComponentHook,
): void {
  hook.componentHook(flex, manager, config);
  logger.info(`${featureName}: registered ${hook.componentHook.name || 'component hook'} → ${hook.componentName}`);
}
