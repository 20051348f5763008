// Runs the compile-only type tests (test/types.test-d.ts) with tsc --noEmit.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

test('the published declarations type-check against test/types.test-d.ts', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2017', '--moduleResolution', 'node',
      '--lib', 'ES2017,DOM', 'test/types.test-d.ts'], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    assert.fail(`tsc reported type errors:\n${error.stdout}${error.stderr}`);
  }
});
