// Hidden suite: the reusable barrier (exercise 07-barrier). Names read as the
// contract; points per test are in points.json. Every race check carries its seed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as BarrierModule from '@submission/07-barrier/barrier.ts';
import type { Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  invariantsHold,
  timedRepeatInHost,
  until,
  whileHostAwaits,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '07-barrier';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'barrier.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { Barrier } = remoteModule<typeof BarrierModule>(ID, 'barrier.ts');
type Barrier = BarrierModule.Barrier;

// Layout of the test segment: the barrier at byte 64 (not 0, to catch offset
// mistakes), a second one at byte 128, the suite's own cells from byte 192
// (cell 48), per-round counters from cell 64.
const BARRIER_OFFSET = 64;
const SECOND_OFFSET = 128;
const FLAG = 48;
const ARRIVALS = 64;
const MAX_ROUNDS = 4000;
const SERIALS = ARRIVALS + MAX_ROUNDS;

function setUp(
  label: string,
  parties: number,
): { segment: Segment; barrier: Barrier; shared: Shared } {
  const segment = scratchSegment(4 * (SERIALS + MAX_ROUNDS), label);
  const barrier = Barrier.init(segment, BARRIER_OFFSET, parties);
  return {
    segment,
    barrier,
    shared: { implementation, segment: segment.name, barrierOffset: BARRIER_OFFSET },
  };
}

const actor = actorsOf(scenarios);
const EBROKEN = expect.objectContaining({ code: 'EBROKEN' });
type Ended = {
  result: boolean | null;
  code: string | null;
  cpuMs: number;
  wallMs: number;
  brokenAfter: boolean;
};
type RoundsResult = { early: number; lapped: number; first: string | null };
const ended = (o: ActorOutcome) => o.value as Ended;

/** 4 workers + 2 processes, parties = 6, a few hundred rounds under seeded perturbation. */
async function sixPartyRounds(label: string, seed: number) {
  const { segment, barrier, shared } = setUp(label, 6);
  const rounds = 300 + (seed % 100);
  const args = { ...shared, rounds, arrivals: ARRIVALS, serials: SERIALS, parties: 6 };
  const specs = [0, 1, 2, 3].map((i) => actor(`worker-${i}`, 'worker', 'rounds', args));
  specs.push(
    actor('process-0', 'process', 'rounds', args),
    actor('process-1', 'process', 'rounds', args),
  );
  const outcomes = await runActors(specs, {
    timeoutMs: 40_000,
    perturb: { probability: 0.05, seed },
  });
  const serials = Array.from({ length: rounds }, (_, round) => segment.load(SERIALS + round));
  return { barrier, rounds, outcomes, serials };
}

describe('Barrier (hidden)', () => {
  test(
    'follows the contract on one thread: init, parties, broken, one serial party per generation',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, barrier } = setUp('contract', 3);
      const size = Barrier.byteLength;
      expect(
        Number.isInteger(size) && size >= 4 && size <= 64 && size % 4 === 0,
        `Barrier.byteLength = ${size}`,
      ).toBe(true);
      expect(barrier.parties, 'parties after init(…, 3)').toBe(3);
      expect(barrier.broken, 'broken after init').toBe(false);
      invariantsHold(barrier);
      const attached = new Barrier(segment, BARRIER_OFFSET);
      expect(attached.parties, 'parties seen by a second instance on the same bytes').toBe(3);
      // Three arrivals from one thread: waitAsync arrives at once and sleeps off the thread.
      for (let generation = 0; generation < 3; generation++) {
        const results = await Promise.all([
          barrier.waitAsync(5000),
          attached.waitAsync(5000),
          barrier.waitAsync(5000),
        ]);
        expect(
          results.filter((r) => r === true).length,
          `generation ${generation}: waitAsync() results of three parties on one thread: ${results.join(', ')}`,
        ).toBe(1);
        expect(
          results.filter((r) => r === false).length,
          `generation ${generation}: the other two resolve false`,
        ).toBe(2);
      }
      expect(barrier.broken, 'broken after three full generations').toBe(false);
      invariantsHold(barrier);
      expect(
        segment.read(0, BARRIER_OFFSET).every((b) => b === 0),
        'the barrier writes nothing before its byteOffset',
      ).toBe(true);
      const after = BARRIER_OFFSET + size;
      expect(
        segment.read(after, FLAG * 4 - after).every((b) => b === 0),
        'the barrier writes nothing after its byteLength',
      ).toBe(true);
    }),
  );

  test(
    'rejects fewer than 1 party with EINVAL',
    { timeout: 10_000 },
    seeded(ID, () => {
      const segment = scratchSegment(256, 'einval');
      for (const parties of [0, -1, 1.5, Number.NaN]) {
        expect(() => Barrier.init(segment, BARRIER_OFFSET, parties), `init(…, ${parties})`).toThrow(
          expect.objectContaining({ code: 'EINVAL' }),
        );
      }
      expect(Barrier.init(segment, BARRIER_OFFSET, 1).parties, 'init(…, 1) is fine').toBe(1);
    }),
  );

  test(
    'returns true at once, every time, with one party',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { barrier } = setUp('one-party', 1);
      // Timed in the submission's process: from here, each call would also pay
      // a round trip to it.
      const { results, elapsedMs } = timedRepeatInHost(barrier, 'wait', 20_000);
      expect(results.true ?? 0, 'wait() calls that returned true, of 20000').toBe(20_000);
      expect(elapsedMs, '20000 wait() calls with one party took (ms)').toBeLessThan(3000);
      expect(barrier.wait(0), 'wait(0) with one party').toBe(true);
      for (let round = 0; round < 100; round++)
        expect(await barrier.waitAsync(), 'waitAsync() with one party').toBe(true);
      expect(barrier.broken).toBe(false);
      invariantsHold(barrier);
    }),
  );

  test(
    'lets nobody leave a generation before every party arrives (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { barrier, rounds, outcomes } = await sixPartyRounds('arrivals', seed);
      expect(
        describeFailures(outcomes),
        'every party finishes every round (a hang here is a lost wakeup or a lap)',
      ).toBe('');
      const results = outcomes.map((o) => o.value as RoundsResult);
      const firstBad = results
        .map((r, i) => (r.first ? `${outcomes[i].name} ${r.first}` : ''))
        .filter(Boolean)
        .join('; ');
      expect(
        results.reduce((sum, r) => sum + r.early, 0),
        `rounds left before all 6 parties had arrived, of 6 x ${rounds}: ${firstBad}`,
      ).toBe(0);
      expect(
        results.reduce((sum, r) => sum + r.lapped, 0),
        `rounds that counted more than 6 arrivals: ${firstBad}`,
      ).toBe(0);
      invariantsHold(barrier);
    }),
  );

  test(
    'picks exactly one serial party per generation (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { rounds, outcomes, serials } = await sixPartyRounds('serial', seed);
      expect(describeFailures(outcomes), 'every party finishes every round').toBe('');
      const wrong = serials.map((n, round) => ({ n, round })).filter(({ n }) => n !== 1);
      const first = wrong.length ? `; first: round ${wrong[0].round} had ${wrong[0].n}` : '';
      expect(
        wrong.length,
        `generations (of ${rounds}) where the number of wait() calls returning true was not 1${first}`,
      ).toBe(0);
    }),
  );

  test(
    'is reusable for many rounds: a fast party never laps a slow one (2 parties, 3000 rounds)',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { barrier, shared } = setUp('laps', 2);
      const rounds = 3000;
      const args = { ...shared, rounds, arrivals: ARRIVALS, serials: SERIALS, parties: 2 };
      // No perturbation: the last arrival returns at once and arrives again, while
      // the other is still waking up (tens of microseconds). That is the lap.
      const outcomes = await runActors(
        [actor('worker', 'worker', 'rounds', args), actor('process', 'process', 'rounds', args)],
        { timeoutMs: 15_000 },
      );
      expect(
        describeFailures(outcomes),
        'both parties finish 3000 rounds (a hang here: a party missed its generation ending)',
      ).toBe('');
      const results = outcomes.map((o) => o.value as RoundsResult);
      const firstBad = results
        .map((r) => r.first ?? '')
        .filter(Boolean)
        .join('; ');
      expect(
        results.reduce((sum, r) => sum + r.early + r.lapped, 0),
        `rounds left with other than 2 arrivals: ${firstBad}`,
      ).toBe(0);
      expect(barrier.broken).toBe(false);
      invariantsHold(barrier);
    }),
  );

  test(
    'wakes every waiting party when the last one arrives',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, barrier, shared } = setUp('wake-all', 4);
      for (let generation = 0; generation < 2; generation++) {
        segment.store(FLAG, 0);
        const args = { ...shared, flag: FLAG };
        const sleepers = runActors(
          [
            actor('worker-0', 'worker', 'arriveAndWait', args),
            actor('worker-1', 'worker', 'arriveAndWait', args),
            actor('process-0', 'process', 'arriveAndWait', args),
          ],
          { timeoutMs: 8000 },
        );
        await until(segment, FLAG, 'three parties to call wait()', 3);
        await sleep(100); // they are asleep in wait() now
        const mine = barrier.wait(5000);
        const outcomes = await sleepers;
        expect(
          describeFailures(outcomes),
          `generation ${generation}: 3 parties asleep in wait(); all must wake when the 4th arrives`,
        ).toBe('');
        const results = [mine, ...outcomes.map((o) => ended(o).result)];
        expect(
          results.filter((r) => r === true).length,
          `wait() results of the 4 parties: ${results.join(', ')}`,
        ).toBe(1);
      }
      expect(barrier.broken).toBe(false);
      invariantsHold(barrier);
    }),
  );

  test(
    'breaks on a timed-out wait: it returns false, waiting parties and later waits get EBROKEN',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, barrier, shared } = setUp('broken', 2);
      // A timed wait that completes in time does not break anything.
      const partner = runActors(
        [actor('partner', 'worker', 'arriveAndWait', { ...shared, flag: FLAG })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the partner to call wait()');
      const mine = barrier.wait(5000);
      const [done] = await partner;
      expect(describeFailures([done])).toBe('');
      expect(
        [mine, ended(done).result].sort(),
        'wait(5000) results when both parties arrive in time',
      ).toEqual([false, true]);
      expect(barrier.broken, 'broken after a generation completed in time').toBe(false);
      // Four parties, three arrive: the timed one gives up after 300 ms.
      segment.store(FLAG, 0);
      const second = Barrier.init(segment, SECOND_OFFSET, 4);
      const args = { ...shared, barrierOffset: SECOND_OFFSET, flag: FLAG };
      const outcomes = await runActors(
        [
          actor('sync-waiter', 'worker', 'arriveAndWait', args),
          actor('async-waiter', 'process', 'arriveAndWait', { ...args, async: true }),
          actor('timed', 'worker', 'arriveAndWait', { ...args, timeoutMs: 300, afterFlag: 2 }),
        ],
        { timeoutMs: 8000 },
      );
      expect(
        describeFailures(outcomes),
        'every party returns once the timed wait breaks the barrier (a hang: the waiters were never told)',
      ).toBe('');
      const [syncWaiter, asyncWaiter, timed] = outcomes.map(ended);
      expect(timed.code, 'the timed-out wait(300) must not throw').toBeNull();
      expect(timed.result, 'the timed-out wait(300) returns').toBe(false);
      expect(timed.wallMs, 'the timed-out wait(300) returned after (ms)').toBeGreaterThanOrEqual(
        280,
      );
      expect(timed.wallMs, 'the timed-out wait(300) returned after (ms)').toBeLessThan(4000);
      expect(timed.brokenAfter, 'broken, seen by the party whose wait timed out').toBe(true);
      expect(syncWaiter.code, 'wait() of a party waiting when the barrier broke').toBe('EBROKEN');
      expect(asyncWaiter.code, 'waitAsync() of a party waiting when the barrier broke').toBe(
        'EBROKEN',
      );
      expect(second.broken, 'broken, seen by another thread').toBe(true);
      expect(() => second.wait(), 'a later wait()').toThrow(EBROKEN);
      expect(() => second.wait(0), 'a later wait(0)').toThrow(EBROKEN);
      await expect(second.waitAsync(1000), 'a later waitAsync()').rejects.toEqual(EBROKEN);
      expect(
        new Barrier(segment, SECOND_OFFSET).broken,
        'broken, seen by a new instance on the same bytes',
      ).toBe(true);
      expect(barrier.broken, 'the first barrier, at another offset, is not broken').toBe(false);
    }),
  );

  test(
    'waitAsync waits without blocking the event loop',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, barrier, shared } = setUp('async', 2);
      const delayMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking for it shows
      const late = runActors(
        [actor('late', 'worker', 'arriveLate', { ...shared, flag: FLAG, delayMs })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the late party to start');
      // The host answers pings on its event loop; if waitAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const { value: mine, longestGapMs, answers } = await whileHostAwaits(barrier.waitAsync(8000));
      const [outcome] = await late;
      expect(describeFailures([outcome])).toBe('');
      expect(
        [mine, (outcome.value as { result: boolean }).result].sort(),
        'results of waitAsync() and the late wait()',
      ).toEqual([false, true]);
      expect(
        longestGapMs,
        `longest gap between answers of the submission's event loop while waitAsync waited about ${delayMs} ms (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(answers, 'pings the event loop answered while waitAsync was pending').toBeGreaterThan(
        10,
      );
      // A timed waitAsync that times out resolves false, without blocking either.
      // Its time is well past EVENT_LOOP_GAP_LIMIT_MS too, so that blocking shows.
      const second = Barrier.init(segment, SECOND_OFFSET, 2);
      const timeoutMs = 1500;
      const start = performance.now();
      const timed = await whileHostAwaits(second.waitAsync(timeoutMs));
      expect(timed.value, `waitAsync(${timeoutMs}) with no other party`).toBe(false);
      expect(
        performance.now() - start,
        `waitAsync(${timeoutMs}) resolved after (ms)`,
      ).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(
        timed.longestGapMs,
        `longest gap between answers of the submission's event loop during waitAsync(${timeoutMs}) (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(timed.answers, `pings answered during waitAsync(${timeoutMs})`).toBeGreaterThan(10);
      expect(second.broken, `broken after waitAsync(${timeoutMs}) timed out`).toBe(true);
      await expect(second.waitAsync(), 'a later waitAsync()').rejects.toEqual(EBROKEN);
    }),
  );

  test(
    'sleeps in the futex while blocked (no CPU burnt)',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, barrier, shared } = setUp('cpu', 2);
      const waiter = watchActors(
        [actor('waiter', 'worker', 'arriveAndWait', { ...shared, flag: FLAG })],
        { timeoutMs: 8000 },
      );
      await until(segment, FLAG, 'the waiter to call wait()');
      const burnt = await cpuWhileBlocked(waiter, ['waiter'], 1000);
      const mine = barrier.wait(5000);
      const [outcome] = await waiter.outcomes;
      expect(describeFailures([outcome])).toBe('');
      const { result, wallMs } = ended(outcome);
      expect([mine, result].sort(), 'results of the two parties').toEqual([false, true]);
      expect(wallMs, 'time the waiter was blocked (ms)').toBeGreaterThan(800);
      expectLittleCpu(burnt.waiter, 'the waiter');
    }),
  );

  test(
    'lets no party leave early and picks one serial party per round, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = {
        implementation,
        barrierOffset: 64,
        parties: 3,
        rounds: 2,
        arrivals: 0,
        serials: 4,
      };
      /** The smaller versions' barrier: 2 parties (A and B; C does nothing). */
      const PAIR_OFFSET = 128;
      const checkAfter =
        (parties: number, rounds: number) =>
        (outcomes: ActorResult[], segment: Segment): string | null => {
          for (const o of outcomes) {
            const early = (o.value as number[]).findIndex((seen) => seen < parties);
            if (early >= 0)
              return `${o.name} left round ${early + 1} when only ${(o.value as number[])[early]} of ${parties} parties had arrived`;
          }
          const serials = Array.from({ length: rounds }, (_, round) => segment.load(4 + round));
          return serials.every((n) => n === 1)
            ? null
            : `serial parties per round: ${serials.join(', ')} (expected exactly 1 each)`;
        };
      /** A version with `parties` parties (A, B and, for 3, C), `rounds` rounds each. */
      const version = (parties: 2 | 3, rounds: number) => ({
        label: `${parties} parties${parties === 2 ? ' (A and B)' : ''}, ${rounds} round${rounds === 1 ? '' : 's'} each, instead of 3 parties, 2 rounds`,
        args: ['A', 'B', 'C'].map((_, i) => ({
          ...args,
          barrierOffset: parties === 2 ? PAIR_OFFSET : 64,
          parties,
          rounds: i < parties ? rounds : 0,
        })),
        check: checkAfter(parties, rounds),
      });
      await underControl({
        exerciseId: ID,
        seed,
        runs: 120,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => {
          Barrier.init(segment, 64, 3);
          Barrier.init(segment, PAIR_OFFSET, 2);
        },
        actors: [
          { name: 'A', kind: 'worker', scenario: 'passRounds', args },
          { name: 'B', kind: 'worker', scenario: 'passRounds', args },
          { name: 'C', kind: 'process', scenario: 'passRounds', args },
        ],
        check: checkAfter(3, 2),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        // Two parties show an early leave or a lapped reset; a lost wakeup needs three.
        smaller: [version(2, 1), version(2, 2), version(3, 1)],
      });
    }),
  );
});
