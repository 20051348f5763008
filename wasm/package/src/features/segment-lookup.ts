/** Segment lookup (seed-behaviour section 1): Task SID checks and the Flex Insights export parser. */
import { requireString, unwrap, utf8Text, withUtf8 } from '../boundary.js';
import type { RawModule } from '../load.js';

export interface SegmentLookupApi {
  /**
   * True when `value` is a Task SID ("WT" + 32 hex digits), without trimming.
   * @see wasm/core/include/flexcore/segment_lookup.h is_valid_task_sid
   */
  isValidTaskSid(value: string): boolean;

  /**
   * Trims `value` and returns it when it is a Task SID.
   * @throws {CoreError} `InvalidArgument`: "TaskSid is required" when empty after trimming, else a message
   *   naming the expected format; `reason` says which (`required`, `sid_wrong_length`, `sid_wrong_prefix`,
   *   `sid_not_hex`, with `params.prefix` / `params.length`; reasons.ts).
   * @see wasm/core/include/flexcore/segment_lookup.h check_task_sid
   */
  checkTaskSid(value: string): string;

  /**
   * The segment IDs of a Flex Insights raw report export (RFC 4180 CSV; header row skipped; first column;
   * trimmed; empty values dropped; order and duplicates kept; a leading BOM ignored).
   * The text crosses into the wasm heap as UTF-8 bytes in one copy.
   * @throws {CoreError} `InvalidArgument` with the line number for an unterminated quote;
   *   `ResourceExhausted` when the wasm heap cannot hold the input.
   * @see wasm/core/include/flexcore/segment_lookup.h parse_segment_csv
   */
  parseSegmentCsv(text: string): string[];
}

export function bindSegmentLookup(raw: RawModule): SegmentLookupApi {
  return {
    isValidTaskSid: (value) => unwrap(raw.isValidTaskSid(requireString(value, 'value'))),
    checkTaskSid: (value) => unwrap(raw.checkTaskSid(requireString(value, 'TaskSid'))),
    parseSegmentCsv: (text) => {
      const ids = withUtf8(raw, requireString(text, 'text'), (address, length) => raw._parseSegmentCsv(address, length));
      if (!(ids instanceof Uint8Array)) return ids;
      // One decode, one split (register_segment_lookup.cpp): IDs are never empty, so no bytes = no IDs.
      return ids.length === 0 ? [] : utf8Text(ids).split('\u001f');
    },
  };
}
