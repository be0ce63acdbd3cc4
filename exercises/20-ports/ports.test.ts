// Visible tests for exercises/20-ports: run them with
//   npm test -- exercises/20-ports
// Ports belong to processes, so some tests start child processes (port-process.ts).
// The grader's hidden tests go further (3 clients at once, a FIFO check per sender,
// torn messages, a sender blocked when the owner dies, CPU use while blocked).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Scratch, errorCode, getpid, startProcess, type Segment } from '@ipc-course/shim';
import { PortRegistry } from './ports.ts';

const scratch = new Scratch('ports');
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await scratch.release();
});
const CHILD_PID = 0; // shared with port-process.ts (keep the two in sync)
const REGISTRY_OFFSET = 64;
const child = new URL('./port-process.ts', import.meta.url);
const me = getpid();
const bytes = (...values: number[]) => new Uint8Array(values);
const show = (received: { from: number; message: Uint8Array } | undefined) =>
  received ? `${received.from}:[${received.message.join(',')}]` : 'none';

function setUp(options = { maxPorts: 4, capacity: 4, maxMessageBytes: 8 }): {
  segment: Segment;
  registry: PortRegistry;
} {
  const segment = scratch.segment(REGISTRY_OFFSET + PortRegistry.byteLength(options));
  return { segment, registry: PortRegistry.init(segment, REGISTRY_OFFSET, options) };
}

/** Starts port-process.ts and waits for it to exit (a client) or to publish its pid (an owner). */
async function runChild(
  segment: Segment,
  ...args: string[]
): Promise<{ pid: number; child: ChildProcess }> {
  const started = startProcess(child, [segment.name, ...args]);
  children.push(started);
  if (args[0] === 'client') {
    const [code] = await once(started, 'exit');
    expect(code, 'the client process exit code').toBe(0);
    return { pid: started.pid!, child: started };
  }
  const deadline = performance.now() + 10_000;
  while (segment.load(CHILD_PID) === 0) {
    if (started.exitCode !== null || performance.now() > deadline)
      throw new Error('the owner process exited or never opened its port: see its output above');
    await segment.waitAsync(CHILD_PID, 0, 50);
  }
  return { pid: segment.load(CHILD_PID), child: started };
}

describe('PortRegistry in one process', () => {
  it('sends to itself and receives oldest first, with the sender', () => {
    const { registry } = setUp();
    const port = registry.open();
    expect([registry.send(me, bytes(1)), registry.trySend(me, bytes(2, 3))]).toEqual([true, true]);
    expect([show(port.receive()), show(port.tryReceive()), show(port.tryReceive())]).toEqual([
      `${me}:[1]`,
      `${me}:[2,3]`,
      'none',
    ]);
  });

  it('refuses a send to a full port, and gives up a timed receive', () => {
    const { registry } = setUp({ maxPorts: 1, capacity: 1, maxMessageBytes: 4 });
    const port = registry.open();
    expect([
      registry.trySend(me, bytes(1)),
      registry.trySend(me, bytes(2)),
      registry.send(me, bytes(3), 100),
    ]).toEqual([true, false, false]);
    expect(show(port.receive({ timeoutMs: 100 }))).toBe(`${me}:[1]`);
    const start = performance.now();
    expect(port.receive({ timeoutMs: 150 })).toBeUndefined();
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('throws EMSGSIZE, EINVAL and EEXIST', () => {
    const { registry } = setUp({ maxPorts: 2, capacity: 2, maxMessageBytes: 4 });
    const port = registry.open();
    expect(errorCode(() => registry.trySend(me, new Uint8Array(5)))).toBe('EMSGSIZE');
    expect(errorCode(() => registry.trySend(0, bytes(1)))).toBe('EINVAL');
    expect(errorCode(() => port.tryReceive({ from: -3 }))).toBe('EINVAL');
    expect(errorCode(() => registry.open())).toBe('EEXIST');
    expect(
      errorCode(() => PortRegistry.byteLength({ maxPorts: 0, capacity: 1, maxMessageBytes: 1 })),
    ).toBe('EINVAL');
  });

  it('after close: sends get ENOPORT, and a port opened again starts empty', () => {
    const { registry } = setUp();
    const port = registry.open();
    registry.send(me, bytes(7));
    port.close();
    expect(errorCode(() => registry.trySend(me, bytes(8)))).toBe('ENOPORT');
    expect(errorCode(() => port.tryReceive())).toBe('ECLOSED');
    const again = registry.open();
    expect(show(again.tryReceive()), 'a new port must not hold the old messages').toBe('none');
  });

  it('lets timers fire while receiveAsync waits', async () => {
    const { registry } = setUp();
    const port = registry.open();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const later = setTimeout(() => registry.send(me, bytes(5)), 200);
    try {
      expect(show(await port.receiveAsync({ timeoutMs: 5000 }))).toBe(`${me}:[5]`);
    } finally {
      clearInterval(timer);
      clearTimeout(later);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});

describe('PortRegistry across processes', () => {
  it('receive({ from }) skips the messages of other processes and keeps them', {
    timeout: 20_000,
  }, async () => {
    const { segment, registry } = setUp({ maxPorts: 2, capacity: 8, maxMessageBytes: 4 });
    const port = registry.open();
    const { pid: client } = await runChild(segment, 'client', String(me), '[[1],[2]]');
    registry.send(me, bytes(9));
    expect(show(port.receive({ from: me, timeoutMs: 1000 }))).toBe(`${me}:[9]`);
    expect([
      show(port.tryReceive()),
      show(port.tryReceive({ from: client })),
      show(port.tryReceive()),
    ]).toEqual([`${client}:[1]`, `${client}:[2]`, 'none']);
  });

  it('refuses sends with ENOPORT once the owner process has been killed', {
    timeout: 20_000,
  }, async () => {
    const { segment, registry } = setUp();
    const { pid: owner, child: ownerProcess } = await runChild(segment, 'owner');
    expect(registry.trySend(owner, bytes(1)), 'send while the owner runs').toBe(true);
    ownerProcess.kill('SIGKILL');
    await once(ownerProcess, 'exit');
    expect(errorCode(() => registry.trySend(owner, bytes(2)))).toBe('ENOPORT');
    expect(errorCode(() => registry.send(owner, bytes(3), 1000))).toBe('ENOPORT');
  });
});
