/** Flex tooling extension point for the dev server (`flex-plugin start`); unchanged. */
module.exports = (config, { isProd, isDev, isTest }) => {
  return config;
};
