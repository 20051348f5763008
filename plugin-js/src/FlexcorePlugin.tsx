import type * as Flex from '@twilio/flex-ui';
import { FlexPlugin } from '@twilio/flex-plugin';

import type { FlexGlobal } from './types/feature';
import { initFeatures } from './utils/feature-loader';

const PLUGIN_NAME = 'FlexcorePlugin';

/**
 * The flexcore Flex plugin. Flex calls init() once after login; all work is delegated to the feature
 * loader, which registers each enabled feature (src/feature-library/*) in isolation.
 */
export default class FlexcorePlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  /**
   * Runs when Flex starts the plugin.
   * @param flex the @twilio/flex-ui module
   * @param manager the Flex manager (configuration, store, user)
   */
  async init(flex: FlexGlobal, manager: Flex.Manager): Promise<void> {
    initFeatures(flex, manager);
  }
}
