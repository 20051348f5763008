/**
 * Flex tooling extension point (@twilio/flex-plugin-scripts 7): receives the webpack 4 config the tooling
 * built and returns it. Nothing to change: the flexcore package ships webpack-4-safe ES2017 with the wasm
 * inlined (SINGLE_FILE), so the bundle stays one file, as `twilio flex:plugins:deploy` requires.
 */
module.exports = (config, { isProd, isDev, isTest }) => {
  return config;
};
