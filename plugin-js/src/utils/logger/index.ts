/**
 * The plugin's console logger: every line is prefixed with the plugin name so it can be found among
 * Flex's own logs. Nothing secret (tokens, credentials) is ever passed to it.
 */
const PREFIX = '[plugin-flexcore]';

export const logger = {
  /** Something the agent desktop does normally (a hook registered, the core loaded). */
  info(message: string, ...details: unknown[]): void {
    // eslint-disable-next-line no-console
    console.info(PREFIX, message, ...details);
  },
  /** A degraded state the plugin recovers from (a feature disabled by a bad setting). */
  warn(message: string, ...details: unknown[]): void {
    // eslint-disable-next-line no-console
    console.warn(PREFIX, message, ...details);
  },
  /** A failure caught at a boundary (feature registration, an injected component). */
  error(message: string, ...details: unknown[]): void {
    // eslint-disable-next-line no-console
    console.error(PREFIX, message, ...details);
  },
};

export default logger;
