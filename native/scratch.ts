// Helpers for tests and demos that must leave nothing behind: a Scratch keeps
// the segments and workers one test makes and removes them all in release(),
// whatever happened; errorCode says which code an action threw.
import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { Segment } from './segment.ts';
import { startWorker, stopWorker } from './spawn.ts';

export class Scratch {
  readonly label: string;
  #segments: Segment[] = [];
  #workers: Worker[] = [];

  constructor(label: string) {
    this.label = label;
  }

  /** A new zero-filled segment with a name no other run uses (ipcc-<pid>-<label>-<random>). */
  segment(byteLength: number): Segment {
    const segment = Segment.create(
      `ipcc-${process.pid}-${this.label}-${randomBytes(4).toString('hex')}`,
      byteLength,
    );
    this.#segments.push(segment);
    return segment;
  }

  /** startWorker(module, data), remembered so release() stops it. */
  worker(module: URL, data?: unknown): Worker {
    const worker = startWorker(module, data);
    this.#workers.push(worker);
    return worker;
  }

  /** The workers started since the last release(), in order. */
  get workers(): readonly Worker[] {
    return this.#workers;
  }

  /** Stops every worker still running (even one asleep in a futex), then closes and unlinks every segment. */
  async release(): Promise<void> {
    const workers = this.#workers;
    const segments = this.#segments;
    this.#workers = [];
    this.#segments = [];
    await Promise.all(workers.map((worker) => stopWorker(worker)));
    for (const segment of segments) {
      segment.close();
      Segment.unlink(segment.name);
    }
  }
}

function describeThrown(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string'
    ? code
    : `(no code) ${error instanceof Error ? error.message : String(error)}`;
}

/** The `code` of the error `action` throws; "(nothing thrown)" or "(no code) <message>" otherwise, to read in a failed expectation. */
export function errorCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return describeThrown(error);
  }
  return '(nothing thrown)';
}

/** errorCode for an action that returns a Promise: the code it rejects (or throws) with. */
export async function errorCodeAsync(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    return describeThrown(error);
  }
  return '(nothing thrown)';
}
