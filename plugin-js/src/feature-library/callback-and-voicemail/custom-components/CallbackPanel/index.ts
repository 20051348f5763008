export { CallbackPanelContent, CallbackView, formatInZone } from './CallbackPanel';
export type { CallbackPanelProps } from './CallbackPanel';
