/**
 * Flex tooling extension point for Jest 27 (`flex-plugin test`): receives the tooling's Jest config
 * ({rootDir, preset: @twilio/flex-plugin-test}: roots src/, babel-preset-react-app transform, jsdom) and
 * returns it with these keys set (they replace the preset's):
 * - `<rootDir>/__mocks__` as a root, so __mocks__/@twilio/flex-ui.js replaces Flex in every test
 *   (Flex is provided by the host page at runtime, never bundled);
 * - the flexcore package's built files left untransformed (it is a file: dependency, so its real path
 *   is outside node_modules): they are plain CommonJS with a 100 KB base64 wasm string;
 * - the __FPB_* globals the tooling's webpack DefinePlugin provides to @twilio/flex-plugin.
 */
const pkg = require('./package.json');

module.exports = (config, { isProd, isDev, isTest }) => {
  return {
    ...config,
    roots: ['<rootDir>/src', '<rootDir>/__mocks__'],
    transformIgnorePatterns: [
      // the preset's two patterns
      '[/\\\\]node_modules[/\\\\].+\\.(js|jsx|mjs|cjs|ts|tsx)$',
      '^.+\\.module\\.(css|sass|scss)$',
      // the flexcore package (file:../wasm/package → real path outside node_modules)
      '[/\\\\]wasm[/\\\\]package[/\\\\]dist[/\\\\]',
    ],
    globals: {
      ...(config.globals || {}),
      __FPB_PLUGIN_UNIQUE_NAME: pkg.name,
      __FPB_PLUGIN_VERSION: pkg.version,
      __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: 'test',
      __FPB_FLEX_PLUGIN_VERSION: 'test',
      __FPB_FLEX_UI_VERSION: 'test',
      __FPB_REACT_VERSION: 'test',
      __FPB_REACT_DOM_VERSION: 'test',
    },
  };
};
