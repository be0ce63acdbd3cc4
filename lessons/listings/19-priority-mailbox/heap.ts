// A textbook binary heap, for lessons/19-priority-mailbox.md: pushes every entry,
// then pops them all, and returns their names in the order they came out.
// `before(a, b)` says that a must come out before b.
export type Entry = { name: string; priority: number; seq: number };

export function heapOrder(entries: Entry[], before: (a: Entry, b: Entry) => boolean): string {
  const heap: Entry[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  for (const entry of entries) {
    // push: append, then sift up
    heap.push(entry);
    for (let i = heap.length - 1; i > 0 && before(heap[i], heap[(i - 1) >> 1]); i = (i - 1) >> 1)
      swap(i, (i - 1) >> 1);
  }
  const out: string[] = [];
  while (heap.length > 0) {
    // pop: take the root, move the last entry there, sift down
    out.push(heap[0].name);
    heap[0] = heap[heap.length - 1];
    heap.pop();
    for (let i = 0; ; ) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let top = i;
      if (left < heap.length && before(heap[left], heap[top])) top = left;
      if (right < heap.length && before(heap[right], heap[top])) top = right;
      if (top === i) break;
      swap(i, top);
      i = top;
    }
  }
  return out.join(' ');
}
