// Hidden suite: the counting semaphore (exercise 05-semaphore). Names read as
// the contract; points per test are in points.json. Every race check carries its seed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as SemaphoreModule from '@submission/05-semaphore/semaphore.ts';
import type { Segment } from '@ipc-course/shim';
import { describeFailures, runActors, watchActors, type ActorSpec } from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  invariantsHold,
  reach,
  until,
  whileHostAwaits,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '05-semaphore';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'semaphore.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { Semaphore } = remoteModule<typeof SemaphoreModule>(ID, 'semaphore.ts');
type Semaphore = SemaphoreModule.Semaphore;

// Layout of the test segment: the semaphore at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells at 160, more semaphores from byte 256.
const SEMAPHORE_OFFSET = 64;
const INSIDE = 40;
const MOST = 41;
const FLAG = 42;
const DONE = 43;
const MORE_OFFSET = 256;

function setUp(
  label: string,
  initial: number,
): { segment: Segment; semaphore: Semaphore; shared: Shared } {
  const segment = scratchSegment(1024, label);
  const semaphore = Semaphore.init(segment, SEMAPHORE_OFFSET, initial);
  return {
    segment,
    semaphore,
    shared: { implementation, segment: segment.name, semaphoreOffset: SEMAPHORE_OFFSET },
  };
}

const actor = actorsOf(scenarios);
const EINVAL = expect.objectContaining({ code: 'EINVAL' });

describe('Semaphore (hidden)', () => {
  test(
    'follows the contract on one thread: init, value, tryAcquire, release(n)',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, semaphore } = setUp('contract', 3);
      const size = Semaphore.byteLength;
      expect(
        Number.isInteger(size) && size >= 4 && size <= 64 && size % 4 === 0,
        `Semaphore.byteLength = ${size}`,
      ).toBe(true);
      expect(semaphore.value, 'value after init(…, 3)').toBe(3);
      invariantsHold(semaphore);
      expect(
        [
          semaphore.tryAcquire(),
          semaphore.tryAcquire(),
          semaphore.tryAcquire(),
          semaphore.tryAcquire(),
        ],
        'four tryAcquire() on 3 permits',
      ).toEqual([true, true, true, false]);
      expect(semaphore.value).toBe(0);
      expect(semaphore.acquire(0), 'acquire(0) with no permit').toBe(false);
      semaphore.release();
      expect(semaphore.value, 'value after release()').toBe(1);
      semaphore.release(2);
      expect(semaphore.value, 'value after release(2)').toBe(3);
      semaphore.release(0);
      expect(semaphore.value, 'value after release(0)').toBe(3);
      const attached = new Semaphore(segment, SEMAPHORE_OFFSET);
      expect(attached.acquire(), 'a second instance on the same bytes shares the permits').toBe(
        true,
      );
      expect(semaphore.value).toBe(2);
      const binary = Semaphore.init(segment, 128, 1);
      expect(
        [binary.acquire(), binary.tryAcquire()],
        'a binary semaphore: acquire, then tryAcquire',
      ).toEqual([true, false]);
      binary.release();
      expect(binary.tryAcquire(), 'tryAcquire after release()').toBe(true);
      invariantsHold(semaphore);
      const untouched = [
        ...segment.read(0, SEMAPHORE_OFFSET),
        ...segment.read(SEMAPHORE_OFFSET + size, 128 - SEMAPHORE_OFFSET - size),
      ];
      expect(
        untouched.every((b) => b === 0),
        'the semaphore writes only inside its own bytes',
      ).toBe(true);
    }),
  );

  test(
    'throws EINVAL for release(-1), release(1.5) and a negative initial value',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, semaphore } = setUp('misuse', 1);
      for (const count of [-1, 1.5, -0.5, Number.NaN]) {
        expect(() => semaphore.release(count), `release(${count})`).toThrow(EINVAL);
        expect(semaphore.value, `value after a refused release(${count})`).toBe(1);
      }
      for (const initial of [-1, 2.5]) {
        expect(() => Semaphore.init(segment, 128, initial), `init(…, ${initial})`).toThrow(EINVAL);
      }
      expect(semaphore.acquire(0), 'the semaphore still works after refused calls').toBe(true);
      expect(semaphore.value).toBe(0);
      invariantsHold(semaphore);
    }),
  );

  test(
    'never lets more holders in than permits (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const permits = 2 + (seed % 2);
      const { segment, semaphore, shared } = setUp('pool', permits);
      const rounds = 600 + (seed % 300);
      const args = { ...shared, inside: INSIDE, most: MOST, permits, rounds };
      const specs = [0, 1, 2, 3].map((i) => actor(`worker-${i}`, 'worker', 'permitPool', args));
      specs.push(
        actor('process-0', 'process', 'permitPool', args),
        actor('process-1', 'process', 'permitPool', args),
      );
      const outcomes = await runActors(specs, {
        timeoutMs: 20_000,
        perturb: { probability: 0.05, seed },
      });
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a deadlock or a lost wakeup)',
      ).toBe('');
      const total = (key: 'negativeValues' | 'overfullRounds') =>
        outcomes.reduce((sum, o) => sum + (o.value as Record<typeof key, number>)[key], 0);
      const overfull = total('overfullRounds');
      const negatives = total('negativeValues');
      expect(
        segment.load(MOST),
        `the most permits held at once, with ${permits} permits (${overfull} rounds found too many held)`,
      ).toBeLessThanOrEqual(permits);
      expect(negatives, 'times an actor read a negative value').toBe(0);
      expect(
        semaphore.value,
        `value after 6 x ${rounds} rounds that each gave back what they took`,
      ).toBe(permits);
      invariantsHold(semaphore);
    }),
  );

  test(
    'wakes as many blocked waiters as release(n) has permits for (no lost wakeup)',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, semaphore, shared } = setUp('wakeup', 0);
      const args = { ...shared, flag: FLAG, done: DONE };
      const specs = [0, 1, 2, 3].map((i) => actor(`waiter-${i}`, 'worker', 'blockedAcquire', args));
      specs.push(
        actor('waiter-4', 'process', 'blockedAcquire', args),
        actor('waiter-5', 'process', 'blockedAcquire', args),
      );
      const waiters = runActors(specs, { timeoutMs: 6000 });
      await until(segment, FLAG, 'the waiters to call acquire()', specs.length);
      await sleep(100); // they are asleep in acquire() now
      // Waiters keep their permit, so only these releases can wake them.
      const steps: string[] = [];
      let released = 0;
      for (const count of [1, 2, 3]) {
        semaphore.release(count);
        released += count;
        const taken = await reach(segment, DONE, released, 3000);
        await sleep(50); // time for wakeups beyond the permits, which must not happen
        steps.push(`release(${count}): ${segment.load(DONE)} of ${released} permits taken`);
        if (taken < released) break; // the others sleep beside free permits
      }
      const outcomes = await waiters;
      expect(
        steps.join('; '),
        '6 waiters blocked in acquire(), then release(1), release(2), release(3)',
      ).toBe(
        'release(1): 1 of 1 permits taken; release(2): 3 of 3 permits taken; release(3): 6 of 6 permits taken',
      );
      expect(describeFailures(outcomes)).toBe('');
      for (const outcome of outcomes) {
        const { acquired, wallMs } = outcome.value as { acquired: boolean; wallMs: number };
        expect(acquired, `${outcome.name} got a permit`).toBe(true);
        expect(
          wallMs,
          `${outcome.name} stayed blocked in acquire() until a release (ms)`,
        ).toBeGreaterThanOrEqual(50);
      }
      expect(semaphore.value, 'value once every waiter holds its permit').toBe(0);
      invariantsHold(semaphore);
    }),
  );

  test(
    'hands permits back and forth without losing a wakeup (workers + processes)',
    { timeout: 40_000 },
    seeded(ID, async (seed) => {
      const { segment, shared } = setUp('handoff', 0);
      const pairs: [string, 'worker' | 'process', string, 'worker' | 'process'][] = [
        ['worker-0', 'worker', 'process-0', 'process'],
        ['worker-1', 'worker', 'process-1', 'process'],
        ['worker-2', 'worker', 'worker-3', 'worker'],
      ];
      const rounds = 500 + (seed % 300);
      const specs: ActorSpec[] = [];
      const semaphores: Semaphore[] = [];
      pairs.forEach(([firstName, firstKind, secondName, secondKind], pair) => {
        const there = MORE_OFFSET + 2 * pair * Semaphore.byteLength;
        const back = there + Semaphore.byteLength;
        semaphores.push(Semaphore.init(segment, there, 0), Semaphore.init(segment, back, 0));
        specs.push(
          actor(firstName, firstKind, 'handoff', {
            ...shared,
            give: there,
            take: back,
            first: true,
            rounds,
          }),
        );
        specs.push(
          actor(secondName, secondKind, 'handoff', {
            ...shared,
            give: back,
            take: there,
            first: false,
            rounds,
          }),
        );
      });
      const outcomes = await runActors(specs, {
        timeoutMs: 10_000,
        perturb: { probability: 0.1, seed },
      });
      expect(
        describeFailures(outcomes),
        `3 pairs hand a permit back and forth ${rounds} times; a hang is a lost wakeup`,
      ).toBe('');
      expect(
        semaphores.map((s) => s.value),
        'values once every handoff is done',
      ).toEqual([0, 0, 0, 0, 0, 0]);
      for (const s of semaphores) invariantsHold(s);
    }),
  );

  test(
    'gives up a timed acquire in about its time, leaving the value unchanged',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, semaphore, shared } = setUp('timed', 0);
      let start = performance.now();
      expect(semaphore.acquire(250), 'acquire(250) with no permit').toBe(false);
      const waited = performance.now() - start;
      expect(waited, 'acquire(250) returned after (ms)').toBeGreaterThanOrEqual(240);
      expect(waited, 'acquire(250) returned after (ms)').toBeLessThan(3000);
      expect(semaphore.value, 'value after a timed-out acquire').toBe(0);
      invariantsHold(semaphore);
      // Two more give up at once, in another thread and another process.
      const timed = await runActors(
        [
          actor('timed-worker', 'worker', 'timedAcquire', { ...shared, timeoutMs: 300 }),
          actor('timed-process', 'process', 'timedAcquire', { ...shared, timeoutMs: 300 }),
        ],
        { timeoutMs: 8000 },
      );
      expect(describeFailures(timed)).toBe('');
      for (const outcome of timed) {
        const { acquired, elapsedMs } = outcome.value as { acquired: boolean; elapsedMs: number };
        expect(acquired, `${outcome.name}: acquire(300) with no permit`).toBe(false);
        expect(
          elapsedMs,
          `${outcome.name}: acquire(300) returned after (ms)`,
        ).toBeGreaterThanOrEqual(290);
        expect(elapsedMs, `${outcome.name}: acquire(300) returned after (ms)`).toBeLessThan(3000);
      }
      expect(semaphore.value, 'value after three timed-out acquires').toBe(0);
      semaphore.release();
      expect(semaphore.value, 'value after release() once those timed out').toBe(1);
      expect(semaphore.acquire(250), 'acquire(250) with a permit').toBe(true);
      expect(semaphore.value).toBe(0);
      // Released by another thread during the wait: the timed acquire succeeds then, not at its deadline.
      // Start it first: this thread's blocking acquire stops the event loop that runs the actors' start barrier.
      const releaser = runActors(
        [
          actor('releaser', 'worker', 'releaseAfter', {
            ...shared,
            flag: FLAG,
            afterMs: 300,
            count: 1,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the releaser to start');
      start = performance.now();
      expect(
        semaphore.acquire(8000),
        'acquire(8000) while a worker releases a permit 300 ms later',
      ).toBe(true);
      expect(performance.now() - start, 'acquire(8000) returned after (ms)').toBeLessThan(4000);
      expect(describeFailures(await releaser)).toBe('');
      expect(semaphore.value).toBe(0);
      invariantsHold(semaphore);
    }),
  );

  test(
    'acquireAsync waits without blocking the event loop',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, semaphore, shared } = setUp('async', 0);
      const afterMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking for it shows
      const releaser = runActors(
        [actor('releaser', 'worker', 'releaseAfter', { ...shared, flag: FLAG, afterMs, count: 1 })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the releaser to start');
      // The host answers pings on its event loop; if acquireAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const {
        value: acquired,
        longestGapMs,
        answers,
      } = await whileHostAwaits(semaphore.acquireAsync(8000));
      expect(acquired, 'acquireAsync resolves true once the releaser releases').toBe(true);
      expect(
        longestGapMs,
        `longest gap between answers of the submission's event loop while acquireAsync waited about ${afterMs} ms for a permit (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        answers,
        'pings the event loop answered while acquireAsync was pending',
      ).toBeGreaterThan(10);
      expect(describeFailures(await releaser)).toBe('');
      expect(await semaphore.acquireAsync(100), 'acquireAsync(100) with no permit').toBe(false);
      expect(await semaphore.acquireAsync(0), 'acquireAsync(0) with no permit').toBe(false);
      expect(semaphore.value).toBe(0);
      invariantsHold(semaphore);
    }),
  );

  test(
    'sleeps in the futex while blocked (no CPU burnt)',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, semaphore, shared } = setUp('cpu', 0);
      const waiter = watchActors(
        [actor('waiter', 'worker', 'blockedAcquire', { ...shared, flag: FLAG, done: DONE })],
        { timeoutMs: 8000 },
      );
      await until(segment, FLAG, 'the waiter to call acquire()');
      const burnt = await cpuWhileBlocked(waiter, ['waiter'], 1000);
      semaphore.release();
      const [outcome] = await waiter.outcomes;
      expect(describeFailures([outcome])).toBe('');
      const { acquired, wallMs } = outcome.value as {
        acquired: boolean;
        wallMs: number;
      };
      expect(acquired).toBe(true);
      expect(wallMs, 'time the waiter was blocked (ms)').toBeGreaterThan(800);
      expectLittleCpu(burnt.waiter, 'the waiter');
    }),
  );

  test(
    'tryAcquire never blocks and never takes a permit that is not there',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { semaphore, shared } = setUp('try', 0);
      const [outcome] = await runActors(
        [actor('trier', 'worker', 'tryWhileEmpty', { ...shared, attempts: 2000 })],
        { timeoutMs: 5000 },
      );
      expect(
        describeFailures([outcome]),
        'tryAcquire must return at once when there is no permit',
      ).toBe('');
      const { successes, elapsedMs } = outcome.value as { successes: number; elapsedMs: number };
      expect(successes, 'tryAcquire calls that returned true with no permit').toBe(0);
      expect(elapsedMs, '2000 tryAcquire calls took (ms)').toBeLessThan(2000);
      expect(semaphore.value).toBe(0);
      semaphore.release(2);
      expect(
        [semaphore.tryAcquire(), semaphore.tryAcquire(), semaphore.tryAcquire()],
        'three tryAcquire() on 2 permits',
      ).toEqual([true, true, false]);
      invariantsHold(semaphore);
    }),
  );

  test(
    'hands out exactly the permits released, and wakes every waiter it can, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = { implementation, semaphoreOffset: 64 };
      type Acquired = { acquired: boolean; valueAfter: number };
      /** The check for R releasing `releases`: A and B (untimed) got permits, and the value adds up. Idle actors return null. */
      const checkFor = (releases: number[]) => (outcomes: ActorResult[], segment: Segment) => {
        const results = outcomes.slice(0, 3).map((o) => o.value as Acquired | null);
        const ran = results.filter((r): r is Acquired => r !== null);
        const acquired = ran.filter((r) => r.acquired).length;
        if (results.slice(0, 2).some((r) => r !== null && !r.acquired))
          return 'an untimed acquire() returned without a permit';
        const negative = ran.find((r) => r.valueAfter < 0);
        if (negative)
          return `value was ${negative.valueAfter} after an acquire: a permit was taken that was not there`;
        const released = releases.reduce((sum, count) => sum + count, 0);
        const left = new Semaphore(segment, 64).value;
        return left === released - acquired
          ? null
          : `${released} permits released, ${acquired} acquired, but value is ${left}`;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 200,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void Semaphore.init(segment, 64, 0),
        actors: [
          { name: 'A', kind: 'worker', scenario: 'acquireOnce', args },
          { name: 'B', kind: 'process', scenario: 'acquireOnce', args },
          { name: 'C', kind: 'worker', scenario: 'acquireOnce', args: { ...args, timeoutMs: 30 } },
          { name: 'R', kind: 'worker', scenario: 'releaseOneThenTwo', args },
        ],
        check: checkFor([1, 2]),
        // A failure is shown in the smallest of these that fails too: far fewer rows. Each
        // releases at least a permit per untimed acquire, so a correct semaphore passes it.
        smaller: [
          {
            label: 'A acquires and R releases 1; B and C do nothing',
            releases: [1],
            b: false,
          },
          {
            label: 'A and B acquire and R releases 2; C does nothing',
            releases: [2],
            b: true,
          },
          {
            label: 'A and B acquire and R releases 1 then 1; C does nothing',
            releases: [1, 1],
            b: true,
          },
        ].map(({ label, releases, b }) => ({
          label,
          args: [
            args,
            b ? args : { ...args, idle: true },
            { ...args, idle: true },
            { ...args, releases },
          ],
          check: checkFor(releases),
        })),
      });
    }),
  );

  test(
    'tryAcquire and acquireAsync race acquire for the permits released, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      // One permit at init, two released: three takers, each trying tryAcquire
      // first while the others take with acquire() or acquireAsync(). A
      // tryAcquire that loads and then subtracts takes a permit twice.
      const args = { implementation, semaphoreOffset: 64 };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 100,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void Semaphore.init(segment, 64, 1),
        actors: [
          {
            name: 'A',
            kind: 'worker',
            scenario: 'tryThenAcquire',
            args: { ...args, how: 'acquire' },
          },
          {
            name: 'B',
            kind: 'process',
            scenario: 'tryThenAcquire',
            args: { ...args, how: 'acquireAsync' },
          },
          {
            name: 'C',
            kind: 'worker',
            scenario: 'tryThenAcquire',
            args: { ...args, how: 'acquire' },
          },
          { name: 'R', kind: 'worker', scenario: 'releaseTwice', args },
        ],
        check: (outcomes, segment) => {
          const results = outcomes
            .slice(0, 3)
            .map((o) => o.value as { acquired: boolean; valueAfter: number });
          if (results.some((r) => !r.acquired))
            return 'an untimed acquire() or acquireAsync() returned without a permit';
          const negative = results.find((r) => r.valueAfter < 0);
          if (negative)
            return `value was ${negative.valueAfter} after a take: a permit was taken that was not there`;
          const left = new Semaphore(segment, 64).value;
          return left === 0 ? null : `3 permits, 3 taken, but value is ${left}`;
        },
      });
    }),
  );
});
