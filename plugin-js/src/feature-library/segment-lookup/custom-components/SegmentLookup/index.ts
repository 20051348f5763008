export { SegmentLookup, type SegmentLookupProps } from './SegmentLookup';
