import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import { buildChannel } from './channels';

export const channelName = 'callback';

/** The "callback" task channel: voice tasks with taskType "callback" (palegreen). */
export const channelHook = function createCallbackTaskChannel(flex: FlexGlobal): Flex.TaskChannelDefinition {
  return buildChannel(flex, 'callback');
};
