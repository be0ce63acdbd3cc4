// HOSTILE: fills buffers until memory runs out, while loading. Buffers live
// outside the V8 heap, so no --max-old-space-size stops this: the grading's
// memory limit (grader/src/memory-limit.ts) must.
const hoard: Buffer[] = [];
for (;;) hoard.push(Buffer.alloc(64 * 1024 * 1024, hoard.length));
