// Hidden suite: the mutex (exercise 04-mutex). Names read as the contract;
// points per test are in points.json. Every race check carries its seed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as MutexModule from '@submission/04-mutex/mutex.ts';
import type { Segment } from '@ipc-course/shim';
import { describeFailures, runActors, watchActors } from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  EVENT_LOOP_HOLD_MS,
  invariantsHold,
  until,
  whileHostAwaits,
} from '../../harness/suite-kit.ts';
import type { Problem } from '../../harness/failure-class.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '04-mutex';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'mutex.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { Mutex } = remoteModule<typeof MutexModule>(ID, 'mutex.ts');
type Mutex = MutexModule.Mutex;

// Layout of the test segment: the mutex at byte 64 (not 0, to catch offset
// mistakes), then the suite's own cells after it.
const MUTEX_OFFSET = 64;
const COUNTER = 40;
const INSIDE = 41;
const FLAG = 42;
const RELEASED = 43;

function setUp(label: string): { segment: Segment; mutex: Mutex; shared: Shared } {
  const segment = scratchSegment(256, label);
  const mutex = Mutex.init(segment, MUTEX_OFFSET);
  return {
    segment,
    mutex,
    shared: { implementation, segment: segment.name, mutexOffset: MUTEX_OFFSET },
  };
}

const actor = actorsOf(scenarios);

describe('Mutex (hidden)', () => {
  test(
    'follows the contract on one thread: init, tryLock, unlock, EPERM',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, mutex } = setUp('contract');
      expect(
        Number.isInteger(Mutex.byteLength) && Mutex.byteLength >= 4 && Mutex.byteLength % 4 === 0,
        `Mutex.byteLength = ${Mutex.byteLength}`,
      ).toBe(true);
      invariantsHold(mutex);
      expect(mutex.tryLock()).toBe(true);
      expect(mutex.tryLock()).toBe(false);
      expect(mutex.lock(0)).toBe(false);
      mutex.unlock();
      expect(() => mutex.unlock()).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(mutex.lock()).toBe(true);
      const attached = new Mutex(segment, MUTEX_OFFSET);
      expect(attached.tryLock(), 'a second instance on the same bytes is the same lock').toBe(
        false,
      );
      attached.unlock();
      expect(mutex.tryLock()).toBe(true);
      mutex.unlock();
      invariantsHold(mutex);
      const untouched = segment.read(0, MUTEX_OFFSET);
      expect(
        untouched.every((b) => b === 0),
        'the mutex writes only inside its own bytes',
      ).toBe(true);
    }),
  );

  test(
    'never lets two holders in at once (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, mutex, shared } = setUp('exclusion');
      const rounds = 1500 + (seed % 500);
      const args = { ...shared, counter: COUNTER, inside: INSIDE, rounds };
      const specs = [0, 1, 2, 3].map((i) =>
        actor(`worker-${i}`, 'worker', 'contendedCounter', args),
      );
      specs.push(
        actor('process-0', 'process', 'contendedCounter', args),
        actor('process-1', 'process', 'contendedCounter', args),
      );
      const outcomes = await runActors(specs, {
        timeoutMs: 30_000,
        perturb: { probability: 0.05, seed },
      });
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a deadlock or a lost wakeup)',
      ).toBe('');
      const overlaps = outcomes.reduce(
        (sum, o) => sum + (o.value as { overlaps: number }).overlaps,
        0,
      );
      expect(overlaps, 'critical sections that overlapped another').toBe(0);
      expect(segment.load(COUNTER), `total after 6 x ${rounds} increments under the lock`).toBe(
        6 * rounds,
      );
      invariantsHold(mutex);
    }),
  );

  test(
    'gives up a timed lock in about its time and stays usable',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, shared } = setUp('timed');
      mutex.lock();
      let start = performance.now();
      expect(mutex.lock(250), 'lock(250) while held').toBe(false);
      const waited = performance.now() - start;
      expect(waited, 'lock(250) returned after (ms)').toBeGreaterThanOrEqual(240);
      expect(waited, 'lock(250) returned after (ms)').toBeLessThan(3000);
      mutex.unlock();
      invariantsHold(mutex);
      expect(mutex.lock(250), 'lock(250) when free').toBe(true);
      mutex.unlock();
      // Released by another thread during the wait: the timed lock succeeds then, not at its deadline.
      const holder = runActors(
        [actor('holder', 'worker', 'holdFor', { ...shared, flag: FLAG, holdMs: 300 })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the holder to take the lock');
      start = performance.now();
      expect(mutex.lock(8000), 'lock(8000) while a worker holds it for 300 ms').toBe(true);
      expect(performance.now() - start, 'lock(8000) returned after (ms)').toBeLessThan(4000);
      mutex.unlock();
      expect(describeFailures(await holder)).toBe('');
      invariantsHold(mutex);
    }),
  );

  test(
    'lockAsync waits without blocking the event loop',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, shared } = setUp('async');
      const holdMs = EVENT_LOOP_HOLD_MS;
      const holder = runActors(
        [actor('holder', 'worker', 'holdFor', { ...shared, flag: FLAG, holdMs })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the holder to take the lock');
      // The host answers pings on its event loop; if lockAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the hold.
      const {
        value: acquired,
        longestGapMs,
        answers,
      } = await whileHostAwaits(mutex.lockAsync(8000));
      expect(acquired, 'lockAsync resolves true once the holder releases').toBe(true);
      expect(
        longestGapMs,
        `longest gap between answers of the submission's event loop while lockAsync waited ${holdMs} ms for the holder (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(answers, 'pings the event loop answered while lockAsync was pending').toBeGreaterThan(
        10,
      );
      expect(describeFailures(await holder)).toBe('');
      expect(await mutex.lockAsync(100), 'lockAsync(100) on a lock this thread holds').toBe(false);
      mutex.unlock();
      invariantsHold(mutex);
    }),
  );

  test(
    'wakes a blocked waiter when the holder unlocks (no lost wakeup)',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mutex, shared } = setUp('wakeup');
      // One sleeper, then two: with two, the first one woken must leave the
      // cell saying "maybe waiters", or its unlock forgets the second.
      for (const sleepers of [1, 2, 1, 2, 2]) {
        segment.store(FLAG, 0);
        segment.store(RELEASED, 0);
        mutex.lock();
        const names = Array.from({ length: sleepers }, (_, i) => `waiter-${i}`);
        const waiters = runActors(
          names.map((name) =>
            actor(name, 'worker', 'blockedLock', { ...shared, flag: FLAG, released: RELEASED }),
          ),
          { timeoutMs: 4000 },
        );
        await until(segment, FLAG, 'the waiters to call lock()', sleepers);
        await sleep(60); // they are asleep in lock() now
        segment.store(RELEASED, 1);
        mutex.unlock();
        const outcomes = await waiters;
        expect(
          describeFailures(outcomes),
          `${sleepers} waiter(s) blocked in lock(): each must get the lock once unlock() has run`,
        ).toBe('');
        for (const outcome of outcomes) {
          const { acquired, afterRelease } = outcome.value as {
            acquired: boolean;
            afterRelease: boolean;
          };
          expect(acquired, `${outcome.name} got the lock`).toBe(true);
          // Read in the waiter, not timed: a loaded machine cannot make it pass or fail.
          expect(
            afterRelease,
            `${outcome.name} returned from lock() only after the holder's unlock()`,
          ).toBe(true);
        }
      }
      invariantsHold(mutex);
    }),
  );

  test(
    'sleeps in the futex while blocked (no CPU burnt)',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, shared } = setUp('cpu');
      mutex.lock();
      const waiter = watchActors(
        [actor('waiter', 'worker', 'blockedLock', { ...shared, flag: FLAG })],
        { timeoutMs: 8000 },
      );
      await until(segment, FLAG, 'the waiter to call lock()');
      const burnt = await cpuWhileBlocked(waiter, ['waiter'], 1000);
      mutex.unlock();
      const [outcome] = await waiter.outcomes;
      expect(describeFailures([outcome])).toBe('');
      const { wallMs } = outcome.value as { wallMs: number };
      expect(wallMs, 'time the waiter was blocked (ms)').toBeGreaterThan(800);
      expectLittleCpu(burnt.waiter, 'the waiter');
    }),
  );

  test(
    'tryLock never blocks and never takes a held lock',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { mutex, shared } = setUp('trylock');
      mutex.lock();
      const [outcome] = await runActors(
        [actor('trier', 'worker', 'tryWhileHeld', { ...shared, attempts: 2000 })],
        { timeoutMs: 5000 },
      );
      expect(
        describeFailures([outcome]),
        'tryLock must return at once while the lock is held',
      ).toBe('');
      const { successes, elapsedMs } = outcome.value as { successes: number; elapsedMs: number };
      expect(successes, 'tryLock calls that returned true while another thread held the lock').toBe(
        0,
      );
      expect(elapsedMs, '2000 tryLock calls took (ms)').toBeLessThan(2000);
      mutex.unlock();
      expect(mutex.tryLock()).toBe(true);
      mutex.unlock();
      invariantsHold(mutex);
    }),
  );
  test(
    'keeps exclusion and loses no wakeup under controlled schedules (2 workers + 1 process)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = {
        implementation,
        mutexOffset: MUTEX_OFFSET,
        counter: COUNTER,
        inside: INSIDE,
        rounds: 2,
      };
      /** Rounds of A, B and C. */
      const actorArgs = ([a, b, c]: number[]) => [
        { ...args, rounds: a },
        { ...args, rounds: b },
        { ...args, rounds: c, timeoutMs: 40 },
      ];
      const checkAfter =
        (rounds: number[]) =>
        (outcomes: ActorResult[], segment: Segment): Problem | null => {
          const results = outcomes.map((o) => o.value as { overlaps: number; timedOut: number });
          const overlaps = results.reduce((n, r) => n + r.overlaps, 0);
          const expected =
            rounds.reduce((n, r) => n + r, 0) - results.reduce((n, r) => n + r.timedOut, 0);
          if (overlaps > 0)
            return {
              class: 'two-holders',
              message: `two holders were inside the critical section at once (${overlaps} times)`,
            };
          if (segment.load(COUNTER) !== expected)
            return {
              class: 'lost-or-duplicated-value',
              message: `the counter is ${segment.load(COUNTER)} after ${expected} locked increments`,
            };
          return null;
        };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 150,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void Mutex.init(segment, MUTEX_OFFSET),
        actors: [
          { name: 'A', kind: 'worker', scenario: 'lockedRounds', args },
          { name: 'B', kind: 'worker', scenario: 'lockedRounds', args },
          {
            name: 'C',
            kind: 'process',
            scenario: 'lockedRounds',
            args: { ...args, timeoutMs: 40 },
          },
        ],
        check: checkAfter([2, 2, 2]),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [
          [1, 1, 0],
          [1, 1, 1],
        ].map((rounds) => ({
          label: `${rounds.join(', ')} rounds for A, B, C instead of 2 each`,
          args: actorArgs(rounds),
          check: checkAfter(rounds),
        })),
      });
    }),
  );

  test(
    'keeps exclusion when tryLock races lock and lockAsync under controlled schedules (2 workers + 1 process)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      // tryLock called while others take the mutex with lock() and lockAsync():
      // a tryLock that loads 0 and then stores 1 lets a second holder in, and
      // one that overwrites a 2 makes the next unlock forget a sleeper.
      const args = {
        implementation,
        mutexOffset: MUTEX_OFFSET,
        counter: COUNTER,
        inside: INSIDE,
        rounds: 2,
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 60,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void Mutex.init(segment, MUTEX_OFFSET),
        actors: [
          {
            name: 'A',
            kind: 'worker',
            scenario: 'mixedRounds',
            args: { ...args, enter: 'try-lock' },
          },
          {
            name: 'B',
            kind: 'process',
            scenario: 'mixedRounds',
            args: { ...args, enter: 'try-lockAsync' },
          },
          { name: 'C', kind: 'worker', scenario: 'mixedRounds', args: { ...args, enter: 'lock' } },
        ],
        check: (outcomes, segment) => {
          const overlaps = outcomes.reduce(
            (n, o) => n + (o.value as { overlaps: number }).overlaps,
            0,
          );
          if (overlaps > 0)
            return `two holders were inside the critical section at once (${overlaps} times)`;
          return segment.load(COUNTER) === 6
            ? null
            : `the counter is ${segment.load(COUNTER)} after 6 locked increments`;
        },
      });
    }),
  );
});
