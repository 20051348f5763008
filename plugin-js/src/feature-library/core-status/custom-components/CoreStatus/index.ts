export { CoreStatus } from './CoreStatus';
export type { CoreStatusProps } from './CoreStatus';
export { CoreStatusTab, CoreStatusTabContent } from './CoreStatusTab';
export type { CoreStatusTabProps } from './CoreStatusTab';
