// HOSTILE: allocates until memory runs out, while loading.
const hoard: number[][] = [];
for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
