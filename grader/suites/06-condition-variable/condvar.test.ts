// Hidden suite: the condition variable (exercise 06-condition-variable). Names
// read as the contract; points per test are in points.json. Every race check
// carries its seed. The mutex is the given one (exercises/06-condition-variable/
// mutex.ts, which grading lays over the submission's copy): only condvar.ts is judged.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as ConditionModule from '@submission/06-condition-variable/condvar.ts';
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
  until,
  whileHostAwaits,
} from '../../harness/suite-kit.ts';
import type { Segment } from '@ipc-course/shim';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type * as MutexModule from '../../../exercises/06-condition-variable/mutex.ts';
import type { Queue, Shared } from './scenarios.ts';

const ID = '06-condition-variable';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'condvar.ts');

// The submission runs in an untrusted object host; this process gets data back.
const { ConditionVariable } = remoteModule<typeof ConditionModule>(ID, 'condvar.ts');
type ConditionVariable = ConditionModule.ConditionVariable;
// The given Mutex (the course's copy, staged beside condvar.ts), in the same
// host: the submission's wait(mutex) calls it there.
const { Mutex } = remoteModule<typeof MutexModule>(ID, 'mutex.ts');
type Mutex = MutexModule.Mutex;

// Layout of the test segment: a condition variable at byte 64 (not 0, to catch
// offset mistakes; up to 32 bytes), a second one at 96, the mutex at 160, then
// the suite's own cells from 48 (byte 192) on.
const CONDITION_OFFSET = 64;
const SECOND_OFFSET = 96;
const MUTEX_OFFSET = 160;
const [ARRIVED, FLAG, TOKENS, HELD, RELEASED] = [48, 49, 50, 51, 52];
const SEGMENT_BYTES = 16384;

function setUp(label: string) {
  const segment = scratchSegment(SEGMENT_BYTES, label);
  const mutex = Mutex.init(segment, MUTEX_OFFSET);
  const condition = ConditionVariable.init(segment, CONDITION_OFFSET);
  const shared: Shared = {
    implementation,
    segment: segment.name,
    mutexOffset: MUTEX_OFFSET,
    conditionOffset: CONDITION_OFFSET,
  };
  return { segment, mutex, condition, shared };
}

/** The calling thread holds `mutex` (it is not free); then releases it. */
function heldThenUnlock(mutex: Mutex, what: string): void {
  expect(mutex.tryLock(), `${what}: the mutex must be held again when wait returns`).toBe(false);
  mutex.unlock();
}

const actor = actorsOf(scenarios);

describe('ConditionVariable (hidden)', () => {
  test(
    'follows the contract on one thread: a signal with nobody waiting is harmless and not remembered',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, mutex } = setUp('contract');
      const size = ConditionVariable.byteLength;
      expect(
        Number.isInteger(size) && size >= 4 && size <= 32 && size % 4 === 0,
        `ConditionVariable.byteLength = ${size} (4 to 32, whole cells)`,
      ).toBe(true);
      // A pattern around the condition variable's bytes, to see any write outside them.
      const outside = [
        [0, CONDITION_OFFSET],
        [CONDITION_OFFSET + size, MUTEX_OFFSET - CONDITION_OFFSET - size],
      ] as const;
      for (const [at, length] of outside) segment.write(at, new Uint8Array(length).fill(0xa5));
      const condition = ConditionVariable.init(segment, CONDITION_OFFSET);
      invariantsHold(condition);
      condition.signal();
      condition.broadcast();
      invariantsHold(
        condition,
        'checkInvariants() after signal() and broadcast() with nobody waiting',
      );
      mutex.lock();
      const start = performance.now();
      expect(
        condition.wait(mutex, 60),
        'wait(mutex, 60) after a signal nobody waited for: it must sleep and time out',
      ).toBe(false);
      expect(
        performance.now() - start,
        'wait(mutex, 60) returned after (ms)',
      ).toBeGreaterThanOrEqual(50);
      heldThenUnlock(mutex, 'wait(mutex, 60)');
      expect(() => condition.wait(mutex, 10), 'wait() without holding the mutex').toThrow(
        expect.objectContaining({ code: 'EPERM' }),
      );
      expect(mutex.tryLock(), 'a refused wait leaves the mutex free').toBe(true);
      mutex.unlock();
      invariantsHold(condition, 'checkInvariants() after a refused wait');
      const attached = new ConditionVariable(segment, CONDITION_OFFSET);
      attached.signal();
      invariantsHold(attached);
      const untouched = outside.every(([at, length]) =>
        segment.read(at, length).every((b) => b === 0xa5),
      );
      expect(untouched, 'the condition variable writes only inside its own bytes').toBe(true);
    }),
  );

  test(
    'holds the mutex again whenever wait returns, woken or timed out',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mutex, condition, shared } = setUp('relock');
      for (const timeoutMs of [0, 1, 30]) {
        mutex.lock();
        expect(
          condition.wait(mutex, timeoutMs),
          `wait(mutex, ${timeoutMs}) with nobody signalling`,
        ).toBe(false);
        heldThenUnlock(mutex, `wait(mutex, ${timeoutMs}) that timed out`);
      }
      // Woken by a signal, in workers and processes: one waiter at a time, so
      // nobody else holds the mutex when it checks.
      for (const kind of ['worker', 'process', 'worker', 'process'] as const) {
        segment.store(ARRIVED, 0);
        segment.store(FLAG, 0);
        const waiter = runActors(
          [
            actor(`${kind}-waiter`, kind, 'waitForFlag', {
              ...shared,
              arrived: ARRIVED,
              flag: FLAG,
            }),
          ],
          { timeoutMs: 8000 },
        );
        await until(segment, ARRIVED, 'the waiter to lock and wait');
        await sleep(30);
        mutex.lock();
        segment.store(FLAG, 1);
        condition.signal();
        mutex.unlock();
        const [outcome] = await waiter;
        expect(
          describeFailures([outcome]),
          `a ${kind} waiting in wait() must return once signalled`,
        ).toBe('');
        expect(
          (outcome.value as { held: boolean }).held,
          `the ${kind} held the mutex when wait() returned after a signal`,
        ).toBe(true);
      }
      invariantsHold(condition);
    }),
  );

  test(
    'wakes a waiter that released the mutex but has not slept yet (no lost wakeup)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const segment = scratchSegment(SEGMENT_BYTES, 'lost-wakeup');
      const rounds = 800 + (seed % 400);
      // Three pairs, each with its own mutex and condition variable: a waiter and
      // an eager signaller that takes the mutex the moment wait() releases it.
      const kinds = [
        ['worker', 'worker'],
        ['process', 'worker'],
        ['worker', 'process'],
      ] as const;
      const specs: ActorSpec[] = [];
      const conditions: ConditionVariable[] = [];
      const progress: (() => string)[] = [];
      kinds.forEach(([waiterKind, signallerKind], pair) => {
        const base = 256 + pair * 128; // mutex +0, condition variable +32, want +96, ack +100
        Mutex.init(segment, base);
        conditions.push(ConditionVariable.init(segment, base + 32));
        const args = {
          implementation,
          segment: segment.name,
          mutexOffset: base,
          conditionOffset: base + 32,
          want: (base + 96) / 4,
          ack: (base + 100) / 4,
          rounds,
        };
        progress.push(
          () =>
            `pair-${pair}: waiter asked for round ${segment.load(args.want)}, signaller acknowledged ${segment.load(args.ack)} of ${rounds}`,
        );
        specs.push(actor(`pair-${pair}-waiter`, waiterKind, 'askAndWait', args));
        specs.push(actor(`pair-${pair}-signaller`, signallerKind, 'acknowledgeEagerly', args));
      });
      const outcomes = await runActors(specs, {
        timeoutMs: 25_000,
        perturb: { probability: 0.05, seed },
      });
      const where = progress.map((line) => line()).join('; ');
      expect(
        describeFailures(outcomes),
        `each waiter is signalled ${rounds} times, each time right after wait() unlocks; a hang is a lost wakeup (${where})`,
      ).toBe('');
      conditions.forEach((condition) => invariantsHold(condition));
    }),
  );

  test(
    'broadcast wakes every waiter, and n signals let n waiters through',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mutex, condition, shared } = setUp('broadcast');
      const kinds = ['worker', 'worker', 'worker', 'process', 'process'] as const;
      const waiters = runActors(
        kinds.map((kind, i) =>
          actor(`waiter-${i}`, kind, 'waitForFlag', { ...shared, arrived: ARRIVED, flag: FLAG }),
        ),
        { timeoutMs: 10_000 },
      );
      await until(segment, ARRIVED, 'the 5 waiters to lock and wait', kinds.length);
      await sleep(100); // they are asleep in wait() now
      mutex.lock();
      segment.store(FLAG, 1);
      condition.broadcast();
      mutex.unlock();
      const woken = await waiters;
      expect(
        describeFailures(woken),
        '5 waiters asleep in wait(), one broadcast(): every one must return',
      ).toBe('');
      for (const outcome of woken)
        expect(
          (outcome.value as { held: boolean }).held,
          `${outcome.name} held the mutex when wait() returned`,
        ).toBe(true);
      invariantsHold(condition);

      segment.store(ARRIVED, 0);
      const takerKinds = ['worker', 'process', 'worker', 'process'] as const;
      const takers = runActors(
        takerKinds.map((kind, i) =>
          actor(`taker-${i}`, kind, 'takeToken', { ...shared, arrived: ARRIVED, tokens: TOKENS }),
        ),
        { timeoutMs: 10_000 },
      );
      await until(segment, ARRIVED, 'the 4 takers to lock and wait', 4);
      await sleep(100);
      for (let i = 0; i < 4; i++) {
        mutex.lock();
        segment.add(TOKENS, 1);
        condition.signal(); // each signal wakes at least one waiter
        mutex.unlock();
      }
      expect(
        describeFailures(await takers),
        '4 waiters, 4 tokens each announced by one signal(): every waiter must get one',
      ).toBe('');
      expect(segment.load(TOKENS), 'tokens left').toBe(0);
      invariantsHold(condition);
    }),
  );

  test(
    'delivers every item exactly once through one mutex and two conditions (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, mutex, condition: notFull, shared } = setUp('queue');
      const notEmpty = ConditionVariable.init(segment, SECOND_OFFSET);
      const perProducer = 250 + (seed % 100);
      const queue: Queue = {
        notEmptyOffset: SECOND_OFFSET,
        capacity: 3,
        count: 64,
        seen: 256,
        total: 3 * perProducer,
      };
      const args = { ...shared, ...queue };
      const specs = [
        actor('producer-0', 'worker', 'produce', { ...args, first: 0, items: perProducer }),
        actor('producer-1', 'worker', 'produce', {
          ...args,
          first: perProducer,
          items: perProducer,
        }),
        actor('producer-2', 'process', 'produce', {
          ...args,
          first: 2 * perProducer,
          items: perProducer,
        }),
        actor('consumer-0', 'worker', 'consume', args),
        actor('consumer-1', 'worker', 'consume', args),
        actor('consumer-2', 'process', 'consume', args),
      ];
      const outcomes = await runActors(specs, {
        timeoutMs: 30_000,
        perturb: { probability: 0.05, seed },
      });
      expect(
        describeFailures(outcomes),
        'every producer and consumer finishes (a hang is a lost wakeup)',
      ).toBe('');
      const overlaps = outcomes.reduce(
        (sum, o) => sum + (o.value as { overlaps: number }).overlaps,
        0,
      );
      expect(
        overlaps,
        'times a thread found another inside the critical section after wait() returned',
      ).toBe(0);
      const wrong: string[] = [];
      for (let item = 0; item < queue.total && wrong.length < 5; item++) {
        const times = segment.load(queue.seen + item);
        if (times !== 1) wrong.push(`item ${item} taken ${times} times`);
      }
      expect(wrong.join('; '), `each of ${queue.total} items taken exactly once`).toBe('');
      expect(segment.load(queue.count), 'items left in the buffer').toBe(0);
      invariantsHold(notFull, 'notFull.checkInvariants() at rest');
      invariantsHold(notEmpty, 'notEmpty.checkInvariants() at rest');
      expect(mutex.tryLock(), 'the mutex is free when every actor is done').toBe(true);
    }),
  );

  test(
    'gives up a timed wait in about its time, then re-takes the mutex before returning',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, condition, shared } = setUp('timed');
      mutex.lock();
      const start = performance.now();
      expect(condition.wait(mutex, 250), 'wait(mutex, 250) with nobody signalling').toBe(false);
      const waited = performance.now() - start;
      expect(waited, 'wait(mutex, 250) returned after (ms)').toBeGreaterThanOrEqual(240);
      expect(waited, 'wait(mutex, 250) returned after (ms)').toBeLessThan(3000);
      heldThenUnlock(mutex, 'wait(mutex, 250)');
      // Another thread takes the mutex while we wait and holds it past our
      // timeout: wait must then block until it can re-take the mutex.
      mutex.lock();
      const holder = runActors(
        [
          actor('holder', 'worker', 'holdAfterRelease', {
            ...shared,
            ready: ARRIVED,
            held: HELD,
            released: RELEASED,
            holdMs: 700,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, ARRIVED, 'the holder to start');
      expect(
        condition.wait(mutex, 250),
        'wait(mutex, 250) while another thread takes the mutex',
      ).toBe(false);
      const heldMeanwhile = segment.load(HELD) === 1;
      const releasedBefore = segment.load(RELEASED) === 1;
      expect(
        !heldMeanwhile || releasedBefore,
        'wait returned while another thread still held the mutex: a timed-out wait must re-take the mutex first',
      ).toBe(true);
      heldThenUnlock(mutex, 'wait(mutex, 250) that timed out');
      expect(describeFailures(await holder)).toBe('');
      invariantsHold(condition);
    }),
  );

  test(
    'waitAsync waits without blocking the event loop',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, condition, shared } = setUp('async');
      const delayMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking for it shows
      expect(await mutex.lockAsync()).toBe(true);
      const signaller = runActors(
        [
          actor('signaller', 'worker', 'signalLater', {
            ...shared,
            ready: ARRIVED,
            flag: FLAG,
            delayMs,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, ARRIVED, 'the signaller to start');
      const waitForFlag = async () => {
        while (segment.load(FLAG) === 0) await condition.waitAsync(mutex, 8000);
      };
      // The host answers pings on its event loop; if waitAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the delay.
      const { longestGapMs, answers } = await whileHostAwaits(waitForFlag());
      expect(
        longestGapMs,
        `longest gap between answers of the submission's event loop while waitAsync waited ${delayMs} ms for a signal (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(answers, 'pings the event loop answered while waitAsync was pending').toBeGreaterThan(
        10,
      );
      heldThenUnlock(mutex, 'waitAsync woken by a signal');
      expect(describeFailures(await signaller)).toBe('');
      expect(await mutex.lockAsync()).toBe(true);
      expect(
        await condition.waitAsync(mutex, 100),
        'waitAsync(mutex, 100) with nobody signalling',
      ).toBe(false);
      heldThenUnlock(mutex, 'waitAsync(mutex, 100) that timed out');
      invariantsHold(condition);
    }),
  );

  test(
    'sleeps in the futex while waiting (no CPU burnt)',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mutex, condition, shared } = setUp('cpu');
      const waiter = watchActors(
        [actor('waiter', 'worker', 'waitForFlag', { ...shared, arrived: ARRIVED, flag: FLAG })],
        { timeoutMs: 8000 },
      );
      await until(segment, ARRIVED, 'the waiter to lock and wait');
      const burnt = await cpuWhileBlocked(waiter, ['waiter'], 1000);
      mutex.lock();
      segment.store(FLAG, 1);
      condition.signal();
      mutex.unlock();
      const [outcome] = await waiter.outcomes;
      expect(describeFailures([outcome])).toBe('');
      const { wallMs } = outcome.value as { wallMs: number };
      expect(wallMs, 'time the waiter spent in wait() (ms)').toBeGreaterThan(800);
      expectLittleCpu(burnt.waiter, 'the waiter', 'waiting');
      invariantsHold(condition);
    }),
  );

  test(
    'wakes the waiters a broadcast and a signal are for, holding the mutex, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = { implementation, conditionOffset: 64, mutexOffset: 128, tokens: 0 };
      const idle = { ...args, takes: 0 };
      const waiters = ['W1', 'W2', 'W3'];
      /** One waiter takes 1 token that S hands out with a signal or a broadcast; the others do nothing. */
      const alone = (waiter: string, how: 'signal' | 'broadcast') => ({
        label: `${waiter} takes 1 token S hands out with a ${how}; the other waiters do nothing`,
        args: [
          ...waiters.map((w) => (w === waiter ? args : idle)),
          {
            ...args,
            broadcastTokens: how === 'broadcast' ? 1 : 0,
            signalTokens: how === 'signal' ? 1 : 0,
          },
        ],
        check,
      });
      const check = (outcomes: ActorResult[], segment: Segment) => {
        const unlocked = outcomes
          .slice(0, 3)
          .filter((o) => o.value !== true)
          .map((o) => o.name);
        if (unlocked.length)
          return `${unlocked.join(', ')}: wait() returned without the mutex held`;
        return segment.load(0) === 0 ? null : `${segment.load(0)} tokens left over`;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 200,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => {
          ConditionVariable.init(segment, 64);
          Mutex.init(segment, 128);
        },
        actors: [
          { name: 'W1', kind: 'worker', scenario: 'takeToken', args },
          { name: 'W2', kind: 'worker', scenario: 'takeToken', args },
          { name: 'W3', kind: 'process', scenario: 'takeToken', args },
          { name: 'S', kind: 'worker', scenario: 'handOutTokens', args },
        ],
        check,
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        // One waiter and one signal show a lost wakeup; a broadcast needs two waiters.
        smaller: [
          ...waiters.map((w) => alone(w, 'signal')),
          ...waiters.map((w) => alone(w, 'broadcast')),
          ...[
            [0, 1],
            [0, 2],
            [1, 2],
          ].map(([a, b]) => ({
            label: `${waiters[a]} and ${waiters[b]} take 2 tokens S hands out with a broadcast; the third waiter does nothing`,
            args: [
              ...[0, 1, 2].map((i) => (i === a || i === b ? args : idle)),
              { ...args, broadcastTokens: 2, signalTokens: 0 },
            ],
            check,
          })),
        ],
      });
    }),
  );
});
