/**
 * Test-only: jsdom (Jest 27) has no TextEncoder/TextDecoder, which every browser Flex supports has and which the
 * flexcore package uses to move text into the wasm heap (it looks them up when it loads). Import this module
 * FIRST in a test file whose code calls the core with attribute text (contextRows, traitRows, eventRows).
 */
import { TextDecoder, TextEncoder } from 'util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
