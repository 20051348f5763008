#!/usr/bin/env node
/**
 * Checks the production build of the plugin (`npm run build`) is what `twilio flex:plugins:deploy` needs:
 * ONE JavaScript file, build/plugin-flexcore.js, that carries the flexcore WebAssembly core inlined
 * (SINGLE_FILE). It finds the base64 data: URI of the wasm in the bundle, decodes it and validates it with
 * WebAssembly.validate, then prints the bundle's raw and gzip sizes.
 *
 * Usage: node tools/check-bundle.mjs [path/to/bundle.js]      exit 0 = ok, 1 = check failed
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PLUGIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = path.resolve(process.argv[2] || path.join(PLUGIN_DIR, 'build', 'plugin-flexcore.js'));

function fail(message) {
  process.stderr.write(`check-bundle: ${message}\n`);
  process.exit(1);
}

let bundle;
try {
  bundle = await readFile(bundlePath);
} catch (error) {
  fail(`${bundlePath}: ${error.code || error.message} (build it with npm run build)`);
}

// One JS file: no extra chunks next to the bundle (a .map and the LICENSE text are fine; they are not code).
const buildDir = path.dirname(bundlePath);
const scripts = (await readdir(buildDir)).filter((f) => /\.(m?js)$/.test(f));
if (scripts.length !== 1 || scripts[0] !== path.basename(bundlePath)) {
  fail(`expected exactly one script in ${buildDir}, found: ${scripts.join(', ') || 'none'}`);
}

// The inlined core: "data:application/octet-stream;base64,AGFzbQ…" (AGFzbQ = "\0asm", the wasm magic).
const text = bundle.toString('utf8');
const matches = [...text.matchAll(/data:application\/octet-stream;base64,(AGFzbQ[A-Za-z0-9+/]*={0,2})/g)];
if (matches.length !== 1) fail(`expected one inlined wasm module (base64 "AGFzbQ…"), found ${matches.length}`);
const wasm = Buffer.from(matches[0][1], 'base64');
if (!WebAssembly.validate(wasm)) fail(`the inlined wasm module (${wasm.length} bytes) does not validate`);
if (/\bimport\.meta\b/.test(text)) fail('the bundle contains import.meta (Flex loads plugins as classic scripts)');

const gzip = gzipSync(bundle, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
process.stdout.write(
  `${path.relative(process.cwd(), bundlePath)}: ${bundle.length} bytes (${kib(bundle.length)}), ` +
    `${gzip} bytes gzip -9 (${kib(gzip)}); inlined wasm core ${wasm.length} bytes, valid\n`,
);
