// Segments for one test: uniquely named, and unlinked when the test finishes,
// whether it passed, failed or timed out.
import { onTestFinished } from 'vitest';
import { Segment } from '@ipc-course/shim';
import { uniqueSegmentName } from './segment-names.ts';

export function scratchSegment(byteLength: number, label = 'test'): Segment {
  const segment = Segment.create(uniqueSegmentName(label), byteLength);
  onTestFinished(() => {
    segment.close();
    try {
      Segment.unlink(segment.name);
    } catch {
      // already unlinked by the test itself
    }
  });
  return segment;
}
