import React from 'react';
import type * as Flex from '@twilio/flex-ui';

import { CoreBoundary } from '../../../../core/CoreBoundary';
import type { FlexGlobal } from '../../../../types/feature';
import { FlexComponent } from '../../../../types/flex-components';
import { readFlexcoreAttributes, type FlexcoreConfig } from '../../../../utils/configuration';
import { logger } from '../../../../utils/logger';
import { CustomerContextTab } from '../../custom-components/CustomerContext';
import { resolveCustomerContextSettings } from '../../settings';
import { text } from '../../../../utils/strings';
import { StringTemplates } from '../strings';

/** uniqueName of the tab (Flex's selectedTabName). */
export const CUSTOMER_TAB_NAME = 'customer-context';

export const componentName = FlexComponent.TaskCanvasTabs;

/**
 * Adds the "Customer" tab to the task canvas (seed: the "Bot Context" tab of the Customer Context Plugin,
 * `sortOrder: 999`): bot context rows and the Segment profile of the task's user id. Settings:
 * `ui_attributes.custom_data.features.flexcore.customer_context` (see ../../settings.ts).
 */
export const componentHook = function addCustomerTabToTaskCanvasTabs(
  flex: FlexGlobal,
  manager: Flex.Manager,
  config: FlexcoreConfig,
): void {
  const raw = readFlexcoreAttributes(manager as never) as Record<string, unknown>;
  const settings = resolveCustomerContextSettings(raw.customer_context);
  for (const problem of settings.problems) logger.warn(`ui_attributes.custom_data.features.flexcore: ${problem}`);
  if (!settings.enabled) return;
  const getToken = (): string | undefined => {
    const token = (manager as unknown as { user?: { token?: unknown } } | undefined)?.user?.token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  };
  flex.TaskCanvasTabs.Content.add(
    <flex.Tab key="flexcore-customer-context-tab" uniqueName={CUSTOMER_TAB_NAME} label={text(StringTemplates.TabLabel)}>
      <CoreBoundary componentLabel={text(StringTemplates.ComponentLabel)}>
        <CustomerContextTab serverUrl={config.serverUrl} settings={settings} getToken={getToken} />
      </CoreBoundary>
    </flex.Tab>,
    { sortOrder: 999 },
  );
};
