// Hidden suite: the spinlock (exercise 03-spinlock). Names read as the contract;
// points per test are in points.json. Every race check carries its seed.
//
// Not checked here, on purpose: that lock() yields or backs off. Spinning is
// the lesson, so there is no "no CPU burnt" test; and on 2 shared cores a lock
// that never yields finishes 6 contenders only 2-3x slower than a polite one,
// about what one CPU hog elsewhere on the machine costs, so no time bound tells
// the two apart without failing correct locks under load.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as SpinLockModule from '@submission/03-spinlock/spinlock.ts';
import type { Segment } from '@ipc-course/shim';
import { describeFailures, runActors, type ActorSpec } from '../../harness/actors.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import { actorsOf, invariantsHold, until } from '../../harness/suite-kit.ts';
import type { Problem } from '../../harness/failure-class.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '03-spinlock';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'spinlock.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { SpinLock } = remoteModule<typeof SpinLockModule>(ID, 'spinlock.ts');
type SpinLock = SpinLockModule.SpinLock;

// Layout of the test segment: the lock at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells after it. 1 KiB, so that a lock writing at
// cell 64 (its byte offset taken for a cell index) lands inside and is seen.
const SEGMENT_BYTES = 1024;
const LOCK_OFFSET = 64;
const COUNTER = 40;
const INSIDE = 41;
const FLAG = 42;

function setUp(label: string): { segment: Segment; spinLock: SpinLock; shared: Shared } {
  const segment = scratchSegment(SEGMENT_BYTES, label);
  const spinLock = SpinLock.init(segment, LOCK_OFFSET);
  return {
    segment,
    spinLock,
    shared: { implementation, segment: segment.name, lockOffset: LOCK_OFFSET },
  };
}

const actor = actorsOf(scenarios);

function sixContenders(args: unknown): ActorSpec[] {
  const specs = [0, 1, 2, 3].map((i) => actor(`worker-${i}`, 'worker', 'contendedCounter', args));
  specs.push(
    actor('process-0', 'process', 'contendedCounter', args),
    actor('process-1', 'process', 'contendedCounter', args),
  );
  return specs;
}

describe('SpinLock (hidden)', () => {
  test(
    'follows the contract on one thread: init, tryLock, unlock, EPERM, its own bytes only',
    { timeout: 10_000 },
    seeded(ID, () => {
      const PATTERN = 0xa5;
      const segment = scratchSegment(SEGMENT_BYTES, 'contract');
      segment.write(0, new Uint8Array(SEGMENT_BYTES).fill(PATTERN)); // every byte but the lock's must keep it
      expect(
        Number.isInteger(SpinLock.byteLength) &&
          SpinLock.byteLength >= 4 &&
          SpinLock.byteLength % 4 === 0,
        `SpinLock.byteLength = ${SpinLock.byteLength}`,
      ).toBe(true);
      const spinLock = SpinLock.init(segment, LOCK_OFFSET);
      invariantsHold(spinLock);
      expect(spinLock.tryLock(), 'tryLock on a new lock').toBe(true);
      expect(spinLock.tryLock(), 'tryLock on a held lock').toBe(false);
      const attached = new SpinLock(segment, LOCK_OFFSET);
      expect(attached.tryLock(), 'a second instance on the same bytes is the same lock').toBe(
        false,
      );
      attached.unlock();
      expect(spinLock.tryLock(), 'tryLock after the second instance unlocked it').toBe(true);
      spinLock.unlock();
      expect(() => spinLock.unlock(), 'unlock of a lock nobody holds').toThrow(
        expect.objectContaining({ code: 'EPERM' }),
      );
      invariantsHold(spinLock);
      expect(attached.tryLock(), 'tryLock after unlock, and after a refused unlock').toBe(true);
      attached.unlock();
      spinLock.lock(); // free: returns at once
      expect(attached.tryLock(), 'tryLock while lock() holds it').toBe(false);
      spinLock.unlock();
      invariantsHold(spinLock);
      const bytes = segment.read(0, SEGMENT_BYTES);
      const own = (i: number) => i >= LOCK_OFFSET && i < LOCK_OFFSET + SpinLock.byteLength;
      const changed = [...bytes.keys()].filter((i) => !own(i) && bytes[i] !== PATTERN);
      expect(
        changed.length === 0
          ? 'none'
          : `bytes ${changed.slice(0, 8).join(', ')}${changed.length > 8 ? ', ...' : ''}`,
        `bytes written outside the lock's own [${LOCK_OFFSET}, ${LOCK_OFFSET + SpinLock.byteLength})`,
      ).toBe('none');
    }),
  );

  test(
    'never lets two holders in at once (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, spinLock, shared } = setUp('exclusion');
      const rounds = 1500 + (seed % 500);
      const args = { ...shared, counter: COUNTER, inside: INSIDE, rounds, work: 1 };
      const outcomes = await runActors(sixContenders(args), {
        timeoutMs: 30_000,
        perturb: { probability: 0.05, seed },
      });
      expect(
        describeFailures(outcomes),
        'every actor finishes (EPERM from unlock here: two callers held the lock at once, and the second unlock found it free)',
      ).toBe('');
      const overlaps = outcomes.reduce(
        (sum, o) => sum + (o.value as { overlaps: number }).overlaps,
        0,
      );
      expect(overlaps, 'critical sections that overlapped another').toBe(0);
      expect(segment.load(COUNTER), `total after 6 x ${rounds} increments under the lock`).toBe(
        6 * rounds,
      );
      invariantsHold(spinLock);
    }),
  );

  test(
    'tryLock never blocks and never takes a held lock',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { spinLock, shared } = setUp('trylock');
      spinLock.lock();
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
      spinLock.unlock();
      expect(spinLock.tryLock()).toBe(true);
      spinLock.unlock();
      invariantsHold(spinLock);
    }),
  );

  test(
    'hands the lock to a spinning waiter once another thread releases it',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, spinLock, shared } = setUp('release');
      const holdMs = 300;
      spinLock.lock();
      // Two waiters, a thread and a process, spin in lock() while this thread holds it.
      const args = { ...shared, flag: FLAG, holdMs: 20 };
      const waiters = runActors(
        [
          actor('waiter-worker', 'worker', 'lockWhenReleased', args),
          actor('waiter-process', 'process', 'lockWhenReleased', args),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the waiters to call lock()', 2);
      await sleep(holdMs);
      const releasedAt = Date.now();
      spinLock.unlock();
      const outcomes = await waiters;
      expect(
        describeFailures(outcomes),
        'each waiter gets the lock once it is released (a hang: it never saw the release)',
      ).toBe('');
      for (const outcome of outcomes) {
        const { wallMs, acquiredAt } = outcome.value as { wallMs: number; acquiredAt: number };
        expect(
          wallMs,
          `${outcome.name} spun in lock() while the suite held the lock (ms)`,
        ).toBeGreaterThanOrEqual(holdMs - 100);
        expect(
          acquiredAt - releasedAt,
          `${outcome.name} got the lock this long after the release (ms)`,
        ).toBeLessThan(3000);
      }
      expect(spinLock.tryLock(), 'free once both waiters are done').toBe(true);
      spinLock.unlock();
      invariantsHold(spinLock);
    }),
  );

  test(
    'lets every contender finish (4 workers + 2 processes, unperturbed)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, spinLock, shared } = setUp('progress');
      // No perturbation: its pauses would make any spinner polite. Longer
      // critical sections, so holders are often preempted inside them.
      const rounds = 4000 + (seed % 1000);
      const work = 20;
      const args = { ...shared, counter: COUNTER, inside: INSIDE, rounds, work };
      const outcomes = await runActors(sixContenders(args), { timeoutMs: 30_000 });
      expect(
        describeFailures(outcomes),
        'every contender finishes within 30 s (a correct lock takes well under 5 s; EPERM from unlock: two callers held the lock at once)',
      ).toBe('');
      const overlaps = outcomes.reduce(
        (sum, o) => sum + (o.value as { overlaps: number }).overlaps,
        0,
      );
      expect(overlaps, 'critical sections that overlapped another').toBe(0);
      expect(
        segment.load(COUNTER),
        `total after 6 x ${rounds} x ${work} increments under the lock`,
      ).toBe(6 * rounds * work);
      invariantsHold(spinLock);
    }),
  );

  test(
    'never lets two holders in under controlled schedules (2 workers + 1 process)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = { implementation, lockOffset: 64, counter: 0, inside: 1, rounds: 2 };
      const checkAfter =
        (rounds: number[]) =>
        (outcomes: ActorResult[], segment: Segment): Problem | null => {
          const overlaps = outcomes.reduce((n, o) => n + (o.value as number), 0);
          if (overlaps > 0)
            return {
              class: 'two-holders',
              message: `two holders were inside the critical section at once (${overlaps} times)`,
            };
          const expected = rounds.reduce((n, r) => n + r, 0);
          return segment.load(0) === expected
            ? null
            : {
                class: 'lost-or-duplicated-value',
                message: `the counter is ${segment.load(0)} after ${expected} locked increments`,
              };
        };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 100,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void SpinLock.init(segment, 64),
        actors: [
          { name: 'A', kind: 'worker', scenario: 'spinRounds', args },
          { name: 'B', kind: 'worker', scenario: 'spinRounds', args },
          { name: 'C', kind: 'process', scenario: 'spinRounds', args },
        ],
        check: checkAfter([2, 2, 2]),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [
          [1, 1, 0],
          [1, 1, 1],
        ].map((rounds) => ({
          label: `${rounds.join(', ')} rounds for A, B, C instead of 2 each`,
          args: rounds.map((r) => ({ ...args, rounds: r })),
          check: checkAfter(rounds),
        })),
      });
    }),
  );

  test(
    'keeps exclusion when tryLock races lock under controlled schedules (2 workers + 1 process)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      // tryLock called while others take the lock with lock() and with tryLock:
      // a tryLock that loads 0 and then stores 1 lets a second holder in.
      const args = { implementation, lockOffset: 64, counter: 0, inside: 1, rounds: 2 };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 60,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void SpinLock.init(segment, 64),
        actors: [
          { name: 'A', kind: 'worker', scenario: 'mixedRounds', args: { ...args, tryFirst: true } },
          {
            name: 'B',
            kind: 'process',
            scenario: 'mixedRounds',
            args: { ...args, tryFirst: true },
          },
          { name: 'C', kind: 'worker', scenario: 'mixedRounds', args },
        ],
        check: (outcomes, segment) => {
          const overlaps = outcomes.reduce(
            (n, o) => n + (o.value as { overlaps: number }).overlaps,
            0,
          );
          if (overlaps > 0)
            return `two holders were inside the critical section at once (${overlaps} times)`;
          return segment.load(0) === 6
            ? null
            : `the counter is ${segment.load(0)} after 6 locked increments`;
        },
      });
    }),
  );
});
