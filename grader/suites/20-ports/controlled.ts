// Actors of the ports suite's controlled test (see harness/schedule/): a server
// process opens its port and announces its pid; clients wait for that, then send.
import { getpid, Segment } from '@ipc-course/shim';

interface Received {
  from: number;
  message: Uint8Array;
}
interface PortLike {
  receive(options?: { from?: number; timeoutMs?: number }): Received | undefined;
  close(): void;
}
interface RegistryLike {
  open(): PortLike;
  send(pid: number, message: Uint8Array, timeoutMs?: number): boolean;
}
type RegistryClass = new (segment: Segment, byteOffset: number) => RegistryLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  registryOffset: number;
  serverPid: number;
  messages: number;
  tag?: number;
}

async function attach(args: ControlledArgs): Promise<{ registry: RegistryLike; segment: Segment }> {
  const { PortRegistry } = (await import(args.implementation)) as { PortRegistry: RegistryClass };
  const segment = Segment.open(args.segment);
  return { registry: new PortRegistry(segment, args.registryOffset), segment };
}

/** Opens this process's port, announces it, receives `messages` messages from anyone; returns "tag:seq" strings in order. */
export async function serve(args: ControlledArgs): Promise<string[]> {
  const { registry, segment } = await attach(args);
  try {
    const port = registry.open();
    segment.store(args.serverPid, getpid());
    segment.notify(args.serverPid);
    const got: string[] = [];
    for (let i = 0; i < args.messages; i++) {
      const received = port.receive();
      got.push(received ? `${received.message[0]}:${received.message[1]}` : 'none');
    }
    port.close();
    return got;
  } finally {
    segment.close();
  }
}

/** Waits for the server's pid, then sends `messages` two-byte messages [tag, seq]. */
export async function sendTo(args: ControlledArgs): Promise<boolean[]> {
  const { registry, segment } = await attach(args);
  try {
    while (segment.load(args.serverPid) === 0) segment.wait(args.serverPid, 0);
    const pid = segment.load(args.serverPid);
    const sent: boolean[] = [];
    for (let seq = 0; seq < args.messages; seq++)
      sent.push(registry.send(pid, Uint8Array.of(args.tag!, seq)));
    return sent;
  } finally {
    segment.close();
  }
}
