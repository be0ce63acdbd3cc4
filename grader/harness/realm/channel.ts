// A request/response channel over one shared-memory segment, between the
// trusted side (the client) and an untrusted host process (the server). The
// client can wait for an answer synchronously, so a hidden suite keeps calling
// `mutex.tryLock()` as a plain call while the code runs in another process.
//
// Layout (32-bit cells, then two byte areas):
//   cell 0 REQUESTS   sequence number of the last request (written by the client)
//   cell 1 ANSWERS    sequence number of the last answer (written by the server)
//   cell 2 REQUEST_LENGTH, cell 3 ANSWER_LENGTH  bytes of JSON in each area
// Invariant: at most one request is outstanding: the client reads answer N
// before it writes request N + 1, so one area each way is enough.
import { Segment } from '@ipc-course/shim';

const REQUESTS = 0;
const ANSWERS = 1;
const REQUEST_LENGTH = 2;
const ANSWER_LENGTH = 3;
const REQUEST_AREA = 64;
const AREA_BYTES = 1 << 20;
const ANSWER_AREA = REQUEST_AREA + AREA_BYTES;
export const CHANNEL_BYTES = ANSWER_AREA + AREA_BYTES;
/** No single futex wait is longer: the shim's deadlock limit must never fire here. */
const SLICE_MS = 500;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeJson(segment: Segment, area: number, lengthCell: number, value: unknown): void {
  const bytes = encoder.encode(JSON.stringify(value));
  if (bytes.length > AREA_BYTES) {
    throw new Error(`a message of ${bytes.length} bytes is over the channel's ${AREA_BYTES}`);
  }
  segment.write(area, bytes);
  segment.store(lengthCell, bytes.length);
}

function readJson(segment: Segment, area: number, lengthCell: number): unknown {
  const length = segment.load(lengthCell);
  if (!(length >= 0 && length <= AREA_BYTES)) throw new Error(`a message length of ${length}`);
  return JSON.parse(decoder.decode(segment.read(area, length)));
}

export class ChannelClosed extends Error {}

/** The trusted end. `alive()` says whether the server process is still there. */
export class ChannelClient {
  readonly segment: Segment;
  readonly #alive: () => string | null;
  #sent = 0;
  #collected = 0;
  readonly #answers = new Map<number, unknown>();

  constructor(segment: Segment, alive: () => string | null) {
    this.segment = segment;
    this.#alive = alive;
  }

  #ensureAlive(): void {
    const gone = this.#alive();
    if (gone) throw new ChannelClosed(gone);
  }

  /** Reads the answer to the outstanding request if it has arrived. */
  #collect(): boolean {
    if (this.#collected === this.#sent) return true;
    if (this.segment.load(ANSWERS) !== this.#sent) return false;
    this.#answers.set(this.#sent, readJson(this.segment, ANSWER_AREA, ANSWER_LENGTH));
    this.#collected = this.#sent;
    return true;
  }

  /** Blocks until the outstanding request is answered, or throws past the deadline. */
  #awaitAnswerSync(deadline: number, what: string): void {
    while (!this.#collect()) {
      this.#ensureAlive();
      const left = deadline - performance.now();
      if (left <= 0) throw new CallTimedOut(what);
      const seen = this.segment.load(ANSWERS);
      if (seen !== this.#sent) this.segment.wait(ANSWERS, seen, Math.min(SLICE_MS, left));
    }
  }

  #send(request: unknown): number {
    // One outstanding request: an async one still in flight is collected first.
    this.#awaitAnswerSync(Infinity, 'the previous request');
    this.#ensureAlive();
    writeJson(this.segment, REQUEST_AREA, REQUEST_LENGTH, request);
    this.#sent += 1;
    this.segment.store(REQUESTS, this.#sent); // partner: the server's wait in serve()
    this.segment.notify(REQUESTS);
    return this.#sent;
  }

  #take(sequence: number): unknown {
    const answer = this.#answers.get(sequence);
    this.#answers.delete(sequence);
    return answer;
  }

  /** Sends `request` and blocks this thread until the answer comes (or `timeoutMs` passes). */
  callSync(request: unknown, timeoutMs: number, what: string): unknown {
    const sequence = this.#send(request);
    this.#awaitAnswerSync(performance.now() + timeoutMs, what);
    return this.#take(sequence);
  }

  /** Sends `request` and resolves with the answer, never blocking the event loop. */
  async callAsync(request: unknown, timeoutMs: number, what: string): Promise<unknown> {
    const sequence = this.#send(request);
    const deadline = performance.now() + timeoutMs;
    while (!this.#answers.has(sequence) && !this.#collect()) {
      this.#ensureAlive();
      const left = deadline - performance.now();
      if (left <= 0) throw new CallTimedOut(what);
      const seen = this.segment.load(ANSWERS);
      if (seen !== sequence) await this.segment.waitAsync(ANSWERS, seen, Math.min(SLICE_MS, left));
    }
    return this.#take(sequence);
  }
}

export class CallTimedOut extends Error {
  constructor(readonly what: string) {
    super(`${what} never returned`);
  }
}

/**
 * The untrusted end: answers each request with `handle`, on the event loop
 * (waitAsync), so the host's own promises and timers keep running in between.
 */
export async function serve(
  segment: Segment,
  handle: (request: unknown) => Promise<unknown>,
): Promise<never> {
  let served = 0;
  for (;;) {
    const latest = segment.load(REQUESTS);
    if (latest === served) {
      await segment.waitAsync(REQUESTS, served, SLICE_MS); // partner: the client's notify in #send
      continue;
    }
    served = latest;
    const answer = await handle(readJson(segment, REQUEST_AREA, REQUEST_LENGTH));
    writeJson(segment, ANSWER_AREA, ANSWER_LENGTH, answer);
    segment.store(ANSWERS, served); // partner: the client's wait in #awaitAnswerSync
    segment.notify(ANSWERS);
  }
}
