import type * as Flex from '@twilio/flex-ui';

import type { ActionHook, ComponentHook, FeatureHook, FlexGlobal, SetupHook, TaskChannelHook } from '../../types/feature';
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

/** The installed name of a hook as the loader reports it (`<function name>`). */
export function hookName(hook: FeatureHook): string {
  if ('componentHook' in hook) return hook.componentHook.name || 'component hook';
  if ('actionHook' in hook) return hook.actionHook.name || 'action hook';
  if ('channelHook' in hook) return hook.channelHook.name || 'task channel';
  return hook.setupHook.name || 'setup hook';
}

/**
 * Installs one hook of any kind and logs it as `<feature>: registered <function name> → <target>`:
 * component hooks add to `flex[componentName]`; action hooks add their listener; task channel hooks are
 * registered with `flex.TaskChannels.register`; setup hooks run once.
 * @throws whatever the hook throws (the caller isolates features from each other)
 */
export function installHook(
  flex: FlexGlobal,
  manager: Flex.Manager,
  config: FlexcoreConfig,
  featureName: string,
  hook: FeatureHook,
): void {
  if ('componentHook' in hook) {
    addComponentHook(flex, manager, config, featureName, hook as ComponentHook);
    return;
  }
  let target: string;
  if ('actionHook' in hook) {
    const action = hook as ActionHook;
    action.actionHook(flex, manager, config);
    target = action.actionEvent === 'replace' ? `replace ${action.actionName}` : `${action.actionEvent}${action.actionName}`;
  } else if ('channelHook' in hook) {
    const channel = hook as TaskChannelHook;
    flex.TaskChannels.register(channel.channelHook(flex, manager, config));
    target = `TaskChannels:${channel.channelName}`;
  } else {
    const setup = hook as SetupHook;
    setup.setupHook(flex, manager, config);
    target = setup.setupName;
  }
  logger.info(`${featureName}: registered ${hookName(hook)} → ${target}`);
}
