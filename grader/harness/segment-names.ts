// Names for shared-memory segments made by tests and the grader. One prefix, so a
// sweep can find what a crashed run left behind; the pid, so the sweep knows
// whether the owner is still alive; a counter and random bits, so two runs at
// once never collide.
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export const SEGMENT_PREFIX = 'ipcc-';
let counter = 0;

export function uniqueSegmentName(label = 'seg'): string {
  const safeLabel = label.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 40);
  return `${SEGMENT_PREFIX}${process.pid}-${threadId}-${counter++}-${randomBytes(3).toString('hex')}-${safeLabel}`;
}

/** The pid a segment name was made by, or null if it is not one of ours. */
export function ownerPid(fileName: string): number | null {
  const match = /^ipcc-(\d+)-/.exec(fileName);
  return match ? Number(match[1]) : null;
}
