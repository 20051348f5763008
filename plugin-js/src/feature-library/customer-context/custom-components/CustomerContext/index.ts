export { CustomerContext, RowList } from './CustomerContext';
export type { CustomerContextProps } from './CustomerContext';
export { CustomerContextTab, CustomerContextTabContent } from './CustomerContextTab';
export type { CustomerContextTabProps } from './CustomerContextTab';
