// jsdom (Jest 27) has no TextEncoder / TextDecoder, which every browser Flex supports and the flexcore package
// uses to move row sets as UTF-8. Imported FIRST by this feature's tests, before the package loads.
import { TextDecoder, TextEncoder } from 'util';

const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.TextEncoder !== 'function') g.TextEncoder = TextEncoder;
if (typeof g.TextDecoder !== 'function') g.TextDecoder = TextDecoder;
