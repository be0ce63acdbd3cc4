// Actors of the request-reply suite's controlled test (see harness/schedule/).
// Clients call with [client, seq] and expect the server's answer to exactly that
// request; the producer counts in SENT the produces that returned, the consumer
// in TAKING the consumes begun, so SENT - TAKING > credits proves too many in flight.
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

export interface ControlledArgs {
  implementation: string;
  segment: string;
  offset: number;
  client: number;
  count: number;
  credits: number;
}
const SENT = 0,
  TAKING = 1;

async function open<T>(
  args: ControlledArgs,
  name: 'RpcChannel' | 'CreditChannel',
): Promise<{ object: T; segment: Segment }> {
  const module = (await import(args.implementation)) as Record<string, Attach<T>>;
  const segment = Segment.open(args.segment);
  return { object: new module[name](segment, args.offset), segment };
}

/** Calls `count` times; returns a problem for each reply that is not the answer to its own request. */
export async function client(args: ControlledArgs): Promise<string[]> {
  const { object: channel, segment } = await open<RpcLike>(args, 'RpcChannel');
  try {
    const problems: string[] = [];
    for (let seq = 0; seq < args.count; seq++) {
      const reply = channel.call(Uint8Array.of(args.client, seq));
      const got = reply === undefined ? 'undefined' : [...reply].join(',');
      if (got !== `${args.client},${seq},${0xee}`)
        problems.push(
          `client ${args.client} call ${seq} got [${got}], expected [${args.client},${seq},238]`,
        );
    }
    return problems;
  } finally {
    segment.close();
  }
}

/** Serves `count` requests, answering each with its own bytes and 0xee. */
export async function server(args: ControlledArgs): Promise<string> {
  const { object: channel, segment } = await open<RpcLike>(args, 'RpcChannel');
  try {
    channel.serve((request) => Uint8Array.from([...request, 0xee]), args.count);
    return 'served';
  } finally {
    segment.close();
  }
}

/** Produces messages [0], [1], ... and checks the in-flight count after each. */
export async function producer(args: ControlledArgs): Promise<string[]> {
  const { object: channel, segment } = await open<CreditLike>(args, 'CreditChannel');
  try {
    const problems: string[] = [];
    for (let seq = 0; seq < args.count; seq++) {
      channel.produce(Uint8Array.of(seq));
      const sent = segment.add(SENT, 1) + 1,
        taking = segment.load(TAKING);
      if (sent - taking > args.credits)
        problems.push(
          `${sent} produces had returned but only ${taking} consumes had begun: more than ${args.credits} credits' worth in flight`,
        );
    }
    return problems;
  } finally {
    segment.close();
  }
}

/** Consumes `count` messages; returns what it got, in order. */
export async function consumer(args: ControlledArgs): Promise<number[]> {
  const { object: channel, segment } = await open<CreditLike>(args, 'CreditChannel');
  try {
    const got: number[] = [];
    for (let i = 0; i < args.count; i++) {
      segment.add(TAKING, 1);
      const message = channel.consume();
      got.push(message.length === 1 ? message[0] : -1);
    }
    return got;
  } finally {
    segment.close();
  }
}
