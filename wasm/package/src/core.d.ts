// Types of the emscripten output copied next to the compiled facade as core.js (the web flavour in
// dist/web, the node flavour in dist/node). Only src/load.ts imports it.
import type { RawFactory } from './raw.js';

declare const createFlexCore: RawFactory;
export default createFlexCore;
