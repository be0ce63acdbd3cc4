// What the request-reply suite's actors run, in worker threads and child processes.
// Each imports the submission by URL (actors cannot see the suite's @submission
// alias) and attaches to the suite's segment by name.
//
// Requests carry [client, seq lo, seq hi, filler...] and the test server answers
// each with its bytes reversed and a tag byte: a client can tell its own reply
// from any other.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';

interface RpcLike {
  call(request: Uint8Array, timeoutMs?: number): Uint8Array | undefined;
  serve(handler: (request: Uint8Array) => Uint8Array, count: number): void;
}
interface CreditLike {
  produce(message: Uint8Array): void;
  consume(): Uint8Array;
}
type Attach<T> = new (segment: Segment, byteOffset: number) => T;

export interface Shared {
  implementation: string;
  segment: string;
  offset: number;
}
const TAG = 0x5a;

async function open<T>(
  args: Shared,
  name: 'RpcChannel' | 'CreditChannel',
): Promise<{ object: T; segment: Segment }> {
  const module = (await import(args.implementation)) as Record<string, Attach<T>>;
  const segment = Segment.open(args.segment);
  return { object: new module[name](segment, args.offset), segment };
}

/** Request `seq` of `client`: 3 to 20 bytes, all fixed by the two. */
export function requestFor(client: number, seq: number): Uint8Array {
  const bytes = Uint8Array.from(
    { length: 3 + ((client * 7 + seq * 5) % 18) },
    (_, i) => (client * 31 + seq * 3 + i * 17) & 0xff,
  );
  bytes[0] = client;
  bytes[1] = seq & 0xff;
  bytes[2] = seq >> 8;
  return bytes;
}
/** The test server's answer: the request reversed, then TAG. */
export const answerTo = (request: Uint8Array) =>
  Uint8Array.from([...request].reverse().concat(TAG));
/** Sleeps the thread (handlers are synchronous). */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Calls `count` times; returns the calls whose reply was not the answer to their own request. */
export async function caller(args: Shared & { client: number; count: number }) {
  const { object: channel } = await open<RpcLike>(args, 'RpcChannel');
  const wrong: string[] = [];
  for (let seq = 0; seq < args.count; seq++) {
    const request = requestFor(args.client, seq);
    const reply = channel.call(request, 10_000);
    const expected = answerTo(request).join(',');
    if (reply?.join(',') !== expected)
      wrong.push(
        `client ${args.client} call ${seq}: got ${reply === undefined ? 'undefined (timed out)' : `[${reply.join(',')}]`}, expected [${expected}]`,
      );
  }
  return wrong;
}

/** Serves `count` requests with answerTo, pausing delaysMs[i] (if given) before answering request i. */
export async function answerer(args: Shared & { count: number; delaysMs?: number[] }) {
  const { object: channel } = await open<RpcLike>(args, 'RpcChannel');
  let i = 0;
  channel.serve((request) => (block(args.delaysMs?.[i++] ?? 0), answerTo(request)), args.count);
  return 'served';
}

/** A call that times out while the server is slow, then a call that must get its own reply. */
export async function impatientCaller(args: Shared & { timeoutMs: number }) {
  const { object: channel } = await open<RpcLike>(args, 'RpcChannel');
  const first = channel.call(requestFor(1, 0), args.timeoutMs);
  const second = channel.call(requestFor(1, 1), 3000); // the server answers at once: 3 s is plenty
  return {
    first: first === undefined ? null : [...first],
    second: second === undefined ? null : [...second],
  };
}

/** Produces `count` messages [seq lo, seq hi, ...] and records the most in flight (produces returned minus consumes begun). */
export async function producer(args: Shared & { count: number; sent: number; taking: number }) {
  const { object: channel, segment } = await open<CreditLike>(args, 'CreditChannel');
  let most = 0;
  for (let seq = 0; seq < args.count; seq++) {
    channel.produce(Uint8Array.of(seq & 0xff, seq >> 8, 7));
    most = Math.max(most, segment.add(args.sent, 1) + 1 - segment.load(args.taking));
  }
  return { most };
}

/** Consumes `count` messages, now and then slowly so the producer runs ahead; returns their seqs in order. */
export async function consumer(args: Shared & { count: number; taking: number }) {
  const { object: channel, segment } = await open<CreditLike>(args, 'CreditChannel');
  const got: number[] = [];
  for (let i = 0; i < args.count; i++) {
    segment.add(args.taking, 1);
    const m = channel.consume();
    got.push(m.length === 3 && m[2] === 7 ? m[0] | (m[1] << 8) : -1);
    if (i % 16 === 0) await sleep(2);
  }
  return got;
}

/** Waits until cell `go` is set, then serves `count` requests with answerTo. */
export async function answererAfterGo(args: Shared & { go: number; count: number }) {
  const segment = Segment.open(args.segment);
  while (segment.load(args.go) === 0) segment.wait(args.go, 0, 1000);
  segment.close();
  return answerer(args);
}

/** Raises `flag`, then blocks in call (no server yet), produce (no credit) or consume (no message); reports its wall time. */
export async function blocked(
  args: Shared & { flag: number; what: 'call' | 'produce' | 'consume' },
) {
  const rpc = args.what === 'call' ? (await open<RpcLike>(args, 'RpcChannel')).object : undefined;
  const credit =
    args.what !== 'call' ? (await open<CreditLike>(args, 'CreditChannel')).object : undefined;
  const segment = Segment.open(args.segment);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let returned: unknown;
  if (rpc) returned = rpc.call(requestFor(3, 3), 10_000)?.join(',');
  else if (args.what === 'produce') {
    credit!.produce(Uint8Array.of(9, 0, 7));
    returned = 'produced';
  } else returned = [...credit!.consume()].join(',');
  return { returned, wallMs: performance.now() - wallStart };
}
