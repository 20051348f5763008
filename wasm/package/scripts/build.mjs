// Builds dist/ from src/ and the two emscripten flavours.
//   dist/web/   ES2017 ES modules + core.js (web flavour)   -> "browser" / "module"
//   dist/node/  CommonJS + core.js (node flavour) + index.mjs (ESM entry for node's "import")
//   dist/types/ declarations ("types")
// The wasm build directory defaults to ../../build/wasm-release/wasm/bindings (FLEXCORE_WASM_DIR overrides).
// Fails when the web output contains syntax newer than ES2017 or `import.meta` (webpack 4 in the Flex
// plugin tooling cannot parse either).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(import.meta.url);
const wasmDir = resolve(process.env.FLEXCORE_WASM_DIR || join(root, '..', '..', 'build', 'wasm-release', 'wasm', 'bindings'));
const dist = join(root, 'dist');
const tsc = require.resolve('typescript/bin/tsc');

for (const flavour of ['web', 'node']) {
  const file = join(wasmDir, `core.${flavour}.js`);
  if (!existsSync(file)) {
    console.error(`flexcore package: ${file} is missing; build the wasm tree first (scripts/build-package does)`);
    process.exit(1);
  }
}

rmSync(dist, { recursive: true, force: true });
const run = (args) => execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
run(['-p', 'tsconfig.json', '--outDir', 'dist/web', '--module', 'ES2015']);
run(['-p', 'tsconfig.json', '--outDir', 'dist/node', '--module', 'CommonJS']);
run(['-p', 'tsconfig.json', '--outDir', 'dist/types', '--declaration', '--emitDeclarationOnly']);

copyFileSync(join(wasmDir, 'core.web.js'), join(dist, 'web', 'core.js'));
copyFileSync(join(wasmDir, 'core.node.js'), join(dist, 'node', 'core.js'));
for (const dts of ['raw.d.ts', 'core.d.ts']) copyFileSync(join(root, 'src', dts), join(dist, 'types', dts));
writeFileSync(join(dist, 'web', 'package.json'), JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n');
writeFileSync(join(dist, 'node', 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');

// node's "import" condition: an ES module over the CommonJS build, so require() and import share one instance.
const cjs = require(join(dist, 'node', 'index.js'));
const names = Object.keys(cjs).filter((name) => name !== '__esModule').sort();
writeFileSync(
  join(dist, 'node', 'index.mjs'),
  `import cjs from './index.js';\nexport const { ${names.join(', ')} } = cjs;\nexport default cjs;\n`,
);

// Consumer syntax check: webpack 4 (acorn 6) parses ES2017 at most and no import.meta.
const acorn = require('acorn');
const jsFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path).map((f) => join(name, f));
    return name.endsWith('.js') ? [name] : [];
  });
for (const file of jsFiles(join(dist, 'web'))) {
  const text = readFileSync(join(dist, 'web', file), 'utf8');
  if (text.includes('import.meta')) {
    console.error(`flexcore package: dist/web/${file} uses import.meta, which webpack 4 cannot parse`);
    process.exit(1);
  }
  try {
    acorn.parse(text, { ecmaVersion: 2017, sourceType: 'module' });
  } catch (error) {
    console.error(`flexcore package: dist/web/${file} is not ES2017: ${error.message}`);
    process.exit(1);
  }
}
mkdirSync(dist, { recursive: true });
console.log(`flexcore package: built dist/ (exports: ${names.join(', ')}) from ${wasmDir}`);
