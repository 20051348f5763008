#!/usr/bin/env node
/**
 * Runs the plugin's Jest tests through the Flex tooling, the way `twilio flex:plugins:test` does: it calls
 * @twilio/flex-plugin-scripts' test script in-process, which builds the Flex Jest 27 configuration
 * (preset @twilio/flex-plugin-test, then this project's jest.config.js) and runs Jest with it.
 *
 * Why not `npx flex-plugin test`: in 7.1.2 that binary re-spawns the script and appends `--run-script`
 * (and `--name <plugin>` when the directory name contains "plugin-") to the arguments, and the test script
 * hands every argument to Jest 27, which rejects them ("Unrecognized CLI Parameters: name, run-script").
 *
 * Usage: node tools/flex-test.js [jest options…]   (e.g. --ci --watchAll=false)
 */
const path = require('path');

process.chdir(path.resolve(__dirname, '..'));
const test = require('@twilio/flex-plugin-scripts/dist/scripts/test').default;

test('--env=jsdom', ...process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
