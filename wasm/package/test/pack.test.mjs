// Ship test (manifold's isolated npm smoke test): `npm pack`, install the tarball into an empty folder
// with no network, and use it from both require() and import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'flexcore-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

test('npm pack ships dist and nothing from src or test', () => {
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const files = out[0].files.map((f) => f.path);
  for (const needed of ['dist/node/index.js', 'dist/node/index.mjs', 'dist/node/core.js', 'dist/web/index.js', 'dist/web/core.js', 'dist/types/index.d.ts', 'dist/types/raw.d.ts', 'package.json']) {
    assert.ok(files.includes(needed), `tarball has ${needed}`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no sources or tests in the tarball');
});

test('the packed tarball installs into an empty project and works from require() and import', () => {
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack produced a tarball');
  const consumer = join(work, 'consumer');
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  npm(['install', '--offline', join(work, tarball)], consumer);

  const cjs = execFileSync(process.execPath, ['-e', `
    const { loadCore, CoreError } = require('flexcore');
    loadCore().then((core) => {
      let code = '';
      try { core.checkSid('nope', 'WT', 'TaskSid'); } catch (e) { code = e instanceof CoreError ? e.code : 'wrong'; }
      console.log(JSON.stringify({ version: core.version, ok: core.isValidSid('WT' + 'a'.repeat(32), 'WT'), code }));
    });`], { cwd: consumer, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(cjs), { version: '0.1.0', ok: true, code: 'InvalidArgument' });

  const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { loadCore, CoreError, ERROR_CODES } from 'flexcore';
    import * as again from 'flexcore';
    const core = await loadCore();
    console.log(JSON.stringify({ version: core.version, ok: core.isValidSid('WT' + 'B'.repeat(32), 'WT'),
      codes: ERROR_CODES.length, same: again.loadCore === loadCore, isClass: typeof CoreError === 'function' }));`],
    { cwd: consumer, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(esm), { version: '0.1.0', ok: true, codes: 13, same: true, isClass: true });
});

test('the browser entry (web flavour, ES module) loads in node too', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    const { loadCore } = await import(${JSON.stringify(join(root, 'dist/web/index.js'))});
    const core = await loadCore();
    console.log(core.isValidSid('WK' + '0'.repeat(32), 'WK'));`], { encoding: 'utf8' });
  assert.equal(out.trim(), 'true');
});
