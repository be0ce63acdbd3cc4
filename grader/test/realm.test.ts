// The two realms: a hidden suite uses the submission through remote objects
// (grader/harness/realm/), and nothing the submission does at import or in a
// call reaches this process. Calls, values, errors, promises, hangs and exits.
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Segment } from '@ipc-course/shim';
import { hostPid, pingHost, remoteModuleAt } from '../harness/realm/remote.ts';
import { scratchSegment } from '../harness/segments.ts';
import { whileHostAwaits } from '../harness/suite-kit.ts';
import type * as CounterModule from './fixtures/realm/counter.ts';
import type * as TamperModule from './fixtures/realm/tamper.ts';

const fixture = (name: string) =>
  pathToFileURL(new URL(`./fixtures/realm/${name}`, import.meta.url).pathname).href;
const { Counter } = remoteModuleAt<typeof CounterModule>(fixture('counter.ts'), 'counter.ts');

describe('remote objects', () => {
  test('statics, constructors, methods, getters and segments work across the process boundary', () => {
    const segment = scratchSegment(64, 'realm');
    expect(Counter.byteLength).toBe(4);
    const counter = Counter.init(segment, 8);
    expect(counter.increment()).toBe(1);
    expect(counter.increment(4)).toBe(5);
    expect(counter.value).toBe(5);
    expect(segment.load(2), 'the host wrote the very cell this process reads').toBe(5);
    const attached = new Counter(segment, 8);
    expect(attached.increment()).toBe(6);
    expect(hostPid()).not.toBe(process.pid);
  });

  test('an object of the host passed as an argument arrives as that object', () => {
    const segment = scratchSegment(64, 'realm');
    const counter = Counter.init(segment, 0);
    const other = Counter.init(segment, 4);
    other.increment(7);
    expect(
      counter.addFrom(other),
      'the host got the Counter itself, not a copy of its fields',
    ).toBe(7);
  });

  test('values come back as data: bytes, nested objects, NaN; errors keep their code', () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    const snapshot = counter.snapshot();
    expect(snapshot.bytes).toBeInstanceOf(Uint8Array);
    expect([...snapshot.bytes]).toEqual([1, 2, 255]);
    expect(snapshot.nested.list).toEqual([1, null, Number.NaN]);
    expect(() => counter.increment(0.5)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  test('a method returning a promise returns a promise here, resolved or rejected', async () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    const pending = counter.later(50);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe('after 50 ms');
    await expect(counter.refuse()).rejects.toMatchObject({ code: 'ECLOSED' });
  });

  test("an event-loop probe sees the host's thread blocked, from outside", async () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    expect(await pingHost(5000)).toBeLessThan(5000);
    const free = await whileHostAwaits(counter.later(300));
    expect(free.answers).toBeGreaterThan(5);
    const blocking = whileHostAwaits(new Promise((resolve) => setTimeout(resolve, 400)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    counter.blockFor(700); // a synchronous call: the host answers no ping meanwhile
    expect((await blocking).longestGapMs).toBeGreaterThanOrEqual(300);
  });

  let stale: { increment(): number } | undefined;
  test('a call that never returns fails within the test, with a reason', {
    timeout: 15_000,
  }, () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    const started = performance.now();
    expect(() => counter.spinForever()).toThrow(/timed out: .*spinForever\(\) never returned/);
    expect(performance.now() - started, 'given up before the test timeout').toBeLessThan(15_000);
    stale = counter;
  });

  test('after a hang, a fresh host serves the next test; objects of the old one are gone', () => {
    expect(() => stale?.increment(), 'an object of the ended host').toThrow(/was ended/);
    expect(Counter.init(scratchSegment(64, 'realm'), 0).increment()).toBe(1);
  });

  test('a host that exits is reported as such, and the next call gets a new one', () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    expect(() => counter.exitNow()).toThrow(/exited/);
    expect(Counter.init(scratchSegment(64, 'realm'), 0).increment()).toBe(1);
  });
});

describe('what the submission does stays in its process', () => {
  const { answer, reachesTestApi } = remoteModuleAt<typeof TamperModule>(
    fixture('tamper.ts'),
    'tamper',
  );

  test('patching built-ins at import changes nothing here, and the test runner is out of reach', () => {
    expect(answer()).toBe(42);
    expect('a,b'.split(',')).toEqual(['a', 'b']);
    expect(Math.max(1, 2)).toBe(2);
    expect(reachesTestApi(), 'a test API inside the submission process').toBe(false);
  });

  test('only data crosses: a function cannot be handed to the submission', () => {
    const counter = Counter.init(scratchSegment(64, 'realm'), 0);
    expect(() => (counter.increment as (by: unknown) => number)(() => 1)).toThrow(
      /cannot cross between processes/,
    );
    expect(Segment).toBeTypeOf('function');
  });
});
