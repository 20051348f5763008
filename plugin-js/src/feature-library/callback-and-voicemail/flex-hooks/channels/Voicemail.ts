import type * as Flex from '@twilio/flex-ui';

import type { FlexGlobal } from '../../../../types/feature';
import { buildChannel } from './channels';

export const channelName = 'voicemail';

/** The "voicemail" task channel: voice tasks with taskType "voicemail" (deepskyblue). */
export const channelHook = function createVoicemailTaskChannel(flex: FlexGlobal): Flex.TaskChannelDefinition {
  return buildChannel(flex, 'voicemail');
};
