import * as FlexPlugin from '@twilio/flex-plugin';

import FlexcorePlugin from './FlexcorePlugin';

FlexPlugin.loadPlugin(FlexcorePlugin);
