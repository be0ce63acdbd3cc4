// --shard K/N: the K-th of N contiguous slices of the sorted submission list,
// so N CI jobs split a class between them without talking to each other.
import { UsageError } from './submission.ts';

export interface Shard {
  /** 1-based: the K of K/N. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `--shard takes K/N, e.g. 2/4 for the second of four slices; got "${text}"`,
    );
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1)
    throw new UsageError(`--shard ${text}: N (the number of slices) must be at least 1`);
  if (index < 1 || index > count)
    throw new UsageError(`--shard ${text}: K must be between 1 and N (${count})`);
  return { index, count };
}

/** Slices differ in length by at most one, and together cover the list once. */
export function shardSlice<T>(items: T[], shard?: Shard): T[] {
  if (!shard) return items;
  const start = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const end = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(start, end);
}
