import type * as Flex from '@twilio/flex-ui';

import type { FlexcoreConfig } from '../utils/configuration';

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

/** What a feature's register() returns: its name and the hooks to install (none when disabled). */
export interface FeatureDefinition {
  /** kebab-case feature name as used in logs, e.g. 'core-status'. */
  name: string;
  /** Component hooks to install, in order. */
  hooks: ComponentHook[];
}

/** A feature module (src/feature-library/<feature>/index.ts, default export). */
export interface Feature {
  /** kebab-case feature name. */
  name: string;
  /** Returns the hooks to install for this configuration; `hooks: []` when the feature is disabled. */
  register(config: FlexcoreConfig): FeatureDefinition;
}
