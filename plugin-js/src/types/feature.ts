import type * as Flex from '@twilio/flex-ui';

import type { FlexcoreConfig } from '../utils/configuration';
import type { StringHook } from '../utils/strings';

/** The `flex` object Flex hands to a plugin's init() (the @twilio/flex-ui module namespace). */
export type FlexGlobal = typeof Flex;

/**
 * A component hook module (flex-project-template convention): `flex-hooks/components/<FlexComponent>.tsx`
 * exports the Flex component it touches and one named function that adds to it. The loader logs the
 * function's name, so give it a descriptive one (`addFlexcoreTabToTaskCanvasTabs`).
 */
export interface ComponentHook {
  /** The Flex programmable component touched, e.g. 'TaskCanvasTabs'. */
  componentName: string;
  /** Adds/replaces content of `flex[componentName]`. A throw is caught and logged by the feature loader. */
  componentHook: (flex: FlexGlobal, manager: Flex.Manager, config: FlexcoreConfig) => void;
}

/**
 * An action hook module (`flex-hooks/actions/<ActionName>.ts`): listens to a Flex action's lifecycle
 * event (`before<ActionName>`, `after<ActionName>`) or replaces the action (`replace`). The loader
 * calls `actionHook` once; the hook adds its own listener with `flex.Actions.addListener` /
 * `flex.Actions.replaceAction`. Name the function descriptively (`writeHangUpByBeforeHangupCall`).
 */
export interface ActionHook {
  /** 'before' | 'after' | 'replace'. */
  actionEvent: 'before' | 'after' | 'replace';
  /** The Flex action, e.g. 'HangupCall', 'StartOutboundCall'. */
  actionName: string;
  /** Installs the listener. A throw is caught and logged by the feature loader. */
  actionHook: (flex: FlexGlobal, manager: Flex.Manager, config: FlexcoreConfig) => void;
}

/**
 * A task channel module (`flex-hooks/channels/<Channel>.ts`): builds a task channel definition
 * (usually with `flex.DefaultTaskChannels.createDefaultTaskChannel`) that the loader registers with
 * `flex.TaskChannels.register`.
 */
export interface TaskChannelHook {
  /** The channel's unique name, e.g. 'callback'. */
  channelName: string;
  /** Returns the definition to register. A throw is caught and logged by the feature loader. */
  channelHook: (flex: FlexGlobal, manager: Flex.Manager, config: FlexcoreConfig) => Flex.TaskChannelDefinition;
}

/**
 * Any other one-time setup (`flex-hooks/<kind>/<name>.ts`): views and side-nav links, notifications,
 * strings. The loader calls `setupHook` once.
 */
export interface SetupHook {
  /** What is set up, for logs, e.g. 'ViewCollection', 'Notifications'. */
  setupName: string;
  /** Does the setup. A throw is caught and logged by the feature loader. */
  setupHook: (flex: FlexGlobal, manager: Flex.Manager, config: FlexcoreConfig) => void;
}

/** One hook of a feature. */
export type FeatureHook = ComponentHook | ActionHook | TaskChannelHook | SetupHook;

/** What a feature's register() returns: its name and the hooks to install (none when disabled). */
export interface FeatureDefinition {
  /** kebab-case feature name as used in logs, e.g. 'core-status'. */
  name: string;
  /** Hooks to install, in order. */
  hooks: FeatureHook[];
}

/** A feature module (src/feature-library/<feature>/index.ts, default export). */
export interface Feature {
  /** kebab-case feature name. */
  name: string;
  /** Returns the hooks to install for this configuration; `hooks: []` when the feature is disabled. */
  register(config: FlexcoreConfig): FeatureDefinition;
  /**
   * The feature's strings table (`flex-hooks/strings`, flex-project-template `stringHook`): registered in
   * `manager.strings` for the user's locale before the feature's hooks are installed (utils/strings).
   */
  strings?: StringHook;
}
