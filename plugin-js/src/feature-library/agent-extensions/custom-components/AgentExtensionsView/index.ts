export { AgentExtensionsView, MESSAGES } from './AgentExtensionsView';
export type { AgentExtensionsViewProps } from './AgentExtensionsView';
