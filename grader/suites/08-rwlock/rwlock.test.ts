// Hidden suite: the readers-writer lock that prefers writers (exercise 08-rwlock).
// Names read as the contract; points per test are in points.json. Every race
// check carries its seed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as RwLockModule from '@submission/08-rwlock/rwlock.ts';
import type { Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  type ActorOutcome,
  type WatchedRun,
  watchActors,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import { actorsOf, invariantsHold, timedInHost, until } from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '08-rwlock';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'rwlock.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { ReadersWriterLock } = remoteModule<typeof RwLockModule>(ID, 'rwlock.ts');
type ReadersWriterLock = RwLockModule.ReadersWriterLock;

// Layout of the test segment: the lock at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells at 160 and after, outside the lock's bytes.
const LOCK_OFFSET = 64;
const COUNTER = 40;
const READERS = 41;
const WRITERS = 42;
const FLAG = 43;
const STOP = 44;
const READS = 45;
const NAP = 46;
const ARRIVED = 47;

function setUp(label: string): { segment: Segment; lock: ReadersWriterLock; shared: Shared } {
  const segment = scratchSegment(256, label);
  const lock = ReadersWriterLock.init(segment, LOCK_OFFSET);
  return {
    segment,
    lock,
    shared: { implementation, segment: segment.name, lockOffset: LOCK_OFFSET },
  };
}

/**
 * Waits until `count` worker threads of the given runs sleep in a futex wait on
 * the lock's own bytes (so they are really blocked in the lock), or boundMs
 * passes: a lock that never sleeps is caught by other checks, not here.
 */
async function asleepInLock(
  segment: Segment,
  count: number,
  runs: WatchedRun[],
  boundMs = 5000,
): Promise<void> {
  const end = LOCK_OFFSET + ReadersWriterLock.byteLength;
  const deadline = performance.now() + boundMs;
  while (performance.now() < deadline) {
    const waits = (await Promise.all(runs.map((run) => run.waits()))).flat();
    const inLock = waits.filter(
      (w) => w.segment === segment.name && w.byteOffset >= LOCK_OFFSET && w.byteOffset < end,
    );
    if (inLock.length >= count) break;
    await sleep(10);
  }
  await sleep(30); // and give them a moment more, in case a wait was about to end
}

const actor = actorsOf(scenarios);
const EPERM = expect.objectContaining({ code: 'EPERM' });
type Blocked = { acquired: boolean; cpuMs: number; wallMs: number };
const blockedValue = (outcome: ActorOutcome) => outcome.value as Blocked;

describe('ReadersWriterLock (hidden)', () => {
  test(
    'follows the contract on one thread: init, try locks, readers share, a writer excludes',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, lock } = setUp('contract');
      const size = ReadersWriterLock.byteLength;
      expect(
        Number.isInteger(size) && size >= 4 && size <= 64 && size % 4 === 0,
        `ReadersWriterLock.byteLength = ${size}`,
      ).toBe(true);
      invariantsHold(lock);
      expect(lock.tryReadLock(), 'tryReadLock on a free lock').toBe(true);
      expect(lock.tryReadLock(), 'a second tryReadLock: readers share').toBe(true);
      expect(lock.readLock(0), 'readLock(0) while read-locked').toBe(true);
      expect(lock.tryWriteLock(), 'tryWriteLock while 3 readers hold it').toBe(false);
      expect(lock.writeLock(0), 'writeLock(0) while read-locked').toBe(false);
      lock.readUnlock();
      lock.readUnlock();
      expect(lock.tryWriteLock(), 'tryWriteLock while 1 reader holds it').toBe(false);
      lock.readUnlock();
      invariantsHold(lock);
      expect(lock.tryWriteLock(), 'tryWriteLock on a free lock').toBe(true);
      expect(lock.tryReadLock(), 'tryReadLock while write-locked').toBe(false);
      expect(lock.tryWriteLock(), 'tryWriteLock while write-locked').toBe(false);
      expect(lock.readLock(0), 'readLock(0) while write-locked').toBe(false);
      const attached = new ReadersWriterLock(segment, LOCK_OFFSET);
      expect(attached.tryReadLock(), 'a second instance on the same bytes is the same lock').toBe(
        false,
      );
      attached.writeUnlock();
      expect(lock.readLock(), 'readLock() on a free lock').toBe(true);
      lock.readUnlock();
      expect(lock.writeLock(), 'writeLock() on a free lock').toBe(true);
      lock.writeUnlock();
      invariantsHold(lock);
      const before = segment.read(0, LOCK_OFFSET);
      const after = segment.read(LOCK_OFFSET + size, 256 - LOCK_OFFSET - size);
      expect(
        [...before, ...after].every((b) => b === 0),
        'the lock writes only inside its own byteLength bytes',
      ).toBe(true);
    }),
  );

  test(
    'throws EPERM for an unlock without its lock',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { lock } = setUp('eperm');
      expect(() => lock.readUnlock(), 'readUnlock on a free lock').toThrow(EPERM);
      expect(() => lock.writeUnlock(), 'writeUnlock on a free lock').toThrow(EPERM);
      expect(lock.tryReadLock()).toBe(true);
      expect(() => lock.writeUnlock(), 'writeUnlock while read-locked').toThrow(EPERM);
      expect(lock.tryWriteLock(), 'still read-locked after the bad writeUnlock').toBe(false);
      lock.readUnlock();
      expect(() => lock.readUnlock(), 'a second readUnlock for one readLock').toThrow(EPERM);
      expect(lock.tryWriteLock()).toBe(true);
      expect(() => lock.readUnlock(), 'readUnlock while write-locked').toThrow(EPERM);
      expect(lock.tryReadLock(), 'still write-locked after the bad readUnlock').toBe(false);
      lock.writeUnlock();
      expect(() => lock.writeUnlock(), 'a second writeUnlock').toThrow(EPERM);
      invariantsHold(lock);
      expect(lock.tryWriteLock(), 'usable after every misuse').toBe(true);
      lock.writeUnlock();
    }),
  );

  test(
    'never lets a writer in beside anyone else (4 workers + 2 processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, lock, shared } = setUp('exclusion');
      const rounds = 800 + (seed % 400);
      const writeEvery = 4;
      const spec = (name: string, kind: 'worker' | 'process', phase: number) =>
        actor(name, kind, 'mixedRounds', {
          ...shared,
          counter: COUNTER,
          readers: READERS,
          writers: WRITERS,
          rounds,
          writeEvery,
          phase,
        });
      const specs = [0, 1, 2, 3].map((i) => spec(`worker-${i}`, 'worker', i));
      specs.push(spec('process-0', 'process', 1), spec('process-1', 'process', 3));
      const outcomes = await runActors(specs, {
        timeoutMs: 30_000,
        perturb: { probability: 0.05, seed },
      });
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a deadlock or a lost wakeup)',
      ).toBe('');
      const values = outcomes.map((o) => o.value as { overlaps: number; writes: number });
      expect(
        values.reduce((sum, v) => sum + v.overlaps, 0),
        'sections where a writer was inside beside a reader or another writer',
      ).toBe(0);
      const writes = values.reduce((sum, v) => sum + v.writes, 0);
      expect(segment.load(COUNTER), `total after ${writes} increments under the write lock`).toBe(
        writes,
      );
      invariantsHold(lock);
      expect(lock.tryWriteLock(), 'the lock is free once every actor is done').toBe(true);
      lock.writeUnlock();
    }),
  );

  test(
    'lets readers share: 4 workers + 2 processes hold read locks at once',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, lock, shared } = setUp('share');
      const parties = 6;
      const args = { ...shared, arrived: ARRIVED, parties, waitMs: 8000 };
      const specs = [0, 1, 2, 3].map((i) => actor(`worker-${i}`, 'worker', 'readTogether', args));
      specs.push(
        actor('process-0', 'process', 'readTogether', args),
        actor('process-1', 'process', 'readTogether', args),
      );
      const outcomes = await runActors(specs, { timeoutMs: 20_000 });
      expect(describeFailures(outcomes)).toBe('');
      for (const outcome of outcomes) {
        const { entered, together } = outcome.value as { entered: boolean; together: boolean };
        expect(entered, `${outcome.name}: readLock(8000) on a lock only readers use`).toBe(true);
        expect(
          together,
          `${outcome.name}: saw all ${parties} readers inside at once within 8 s (readers must not exclude each other); ${segment.load(ARRIVED)} arrived`,
        ).toBe(true);
      }
      invariantsHold(lock);
    }),
  );

  test(
    'serves a waiting writer while readers keep arriving (writer preference)',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, lock, shared } = setUp('preference');
      // A writer waits behind this thread's read share: new readers must be turned away.
      expect(lock.readLock(), 'readLock on a free lock').toBe(true);
      const writer = watchActors(
        [
          actor('writer', 'worker', 'blocked', {
            ...shared,
            flag: FLAG,
            side: 'write',
            timeoutMs: 10_000,
          }),
        ],
        { timeoutMs: 15_000 },
      );
      await until(segment, FLAG, 'the writer to call writeLock()');
      await asleepInLock(segment, 1, [writer]);
      expect(lock.tryReadLock(), 'tryReadLock while a writer waits (writers are preferred)').toBe(
        false,
      );
      expect(lock.readLock(100), 'readLock(100) while a writer waits').toBe(false);
      lock.readUnlock();
      const [served] = await writer.outcomes;
      expect(describeFailures([served])).toBe('');
      expect(
        blockedValue(served).acquired,
        'the writer gets the lock once the last reader leaves',
      ).toBe(true);
      invariantsHold(lock);

      // Four readers overlap without a gap; a writer must still get in, three times.
      segment.store(READS, 0);
      segment.store(STOP, 0);
      const readerArgs = { ...shared, reads: READS, stop: STOP, nap: NAP, stopAfterMs: 12_000 };
      const specs = [3, 4, 5, 6].map((holdMs, i) =>
        actor(`reader-${i}`, 'worker', 'keepReading', { ...readerArgs, holdMs }),
      );
      specs.push(
        actor('writer', 'process', 'writeAmongReaders', {
          ...shared,
          reads: READS,
          readsBefore: 40,
          stop: STOP,
          nap: NAP,
          times: 3,
          timeoutMs: 10_000,
        }),
      );
      const outcomes = await runActors(specs, { timeoutMs: 25_000 });
      expect(describeFailures(outcomes)).toBe('');
      const { acquired, waits } = outcomes[4].value as { acquired: boolean; waits: number[] };
      const shown = waits.map((w) => w.toFixed(0)).join(', ');
      expect(
        acquired,
        `writeLock(10000) among readers that keep arriving; waits (ms): ${shown}`,
      ).toBe(true);
      expect(
        Math.max(...waits),
        `longest wait of 3 writeLock calls among 4 readers that keep arriving (ms): ${shown}`,
      ).toBeLessThan(3000);
      const reads = outcomes
        .slice(0, 4)
        .reduce((sum, o) => sum + (o.value as { reads: number }).reads, 0);
      expect(reads, 'reads done by the 4 readers meanwhile').toBeGreaterThanOrEqual(40);
      invariantsHold(lock);
    }),
  );

  test(
    'gives up timed locks in about their time and stays usable',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, lock, shared } = setUp('timed');
      const timed = (what: string, call: () => boolean) => {
        const start = performance.now();
        expect(call(), what).toBe(false);
        const waited = performance.now() - start;
        expect(waited, `${what} returned after (ms)`).toBeGreaterThanOrEqual(240);
        expect(waited, `${what} returned after (ms)`).toBeLessThan(3000);
      };
      lock.writeLock();
      timed('readLock(250) while write-locked', () => lock.readLock(250));
      timed('writeLock(250) while write-locked', () => lock.writeLock(250));
      const refused = timedInHost<boolean>(lock, 'readLock', 0);
      expect(refused.value, 'readLock(0) while write-locked').toBe(false);
      expect(
        refused.elapsedMs,
        "readLock(0) returned after (ms, timed in the submission's process)",
      ).toBeLessThan(50);
      lock.writeUnlock();
      invariantsHold(lock);
      expect(
        lock.readLock(2000),
        'readLock(2000) on a free lock, after a writeLock(250) timed out: it must withdraw its waiting mark',
      ).toBe(true);
      timed('writeLock(250) while read-locked', () => lock.writeLock(250));
      expect(
        lock.tryReadLock(),
        'tryReadLock after a writeLock timed out: it must withdraw its waiting mark',
      ).toBe(true);
      lock.readUnlock();
      lock.readUnlock();
      invariantsHold(lock);
      expect(lock.writeLock(250), 'writeLock(250) on a free lock').toBe(true);
      lock.writeUnlock();

      // A reader held back by a waiting writer must be let in when that writer gives up.
      lock.readLock();
      const writer = watchActors(
        [
          actor('writer', 'worker', 'blocked', {
            ...shared,
            flag: FLAG,
            side: 'write',
            timeoutMs: 1500,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the writer to call writeLock(1500)');
      await asleepInLock(segment, 1, [writer]);
      const start = performance.now();
      const entered = lock.readLock(8000); // blocks this thread: the writer runs on its own
      const waited = performance.now() - start;
      const [gaveUp] = await writer.outcomes;
      expect(describeFailures([gaveUp])).toBe('');
      expect(
        blockedValue(gaveUp).acquired,
        'writeLock(1500) while a reader holds the lock all along',
      ).toBe(false);
      expect(
        blockedValue(gaveUp).wallMs,
        'writeLock(1500) returned after (ms)',
      ).toBeGreaterThanOrEqual(1400);
      expect(entered, 'readLock(8000) held back by a writer that then timed out').toBe(true);
      expect(
        waited,
        'readLock(8000) returned after (ms): the writer gave up after 1500 ms and must wake the readers it held back',
      ).toBeLessThan(5000);
      lock.readUnlock();
      lock.readUnlock();
      invariantsHold(lock);
      expect(lock.tryWriteLock(), 'free again').toBe(true);
      lock.writeUnlock();
    }),
  );

  test(
    'sleeps in the futex while blocked (no CPU burnt)',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, lock, shared } = setUp('cpu');
      for (const side of ['read', 'write'] as const) {
        segment.store(FLAG, 0);
        if (side === 'read') lock.writeLock();
        else lock.readLock();
        const waiter = watchActors(
          [actor(`${side}er`, 'worker', 'blocked', { ...shared, flag: FLAG, side })],
          { timeoutMs: 8000 },
        );
        await until(segment, FLAG, `the ${side}r to call ${side}Lock()`);
        const burnt = await cpuWhileBlocked(waiter, [`${side}er`], 1000);
        if (side === 'read') lock.writeUnlock();
        else lock.readUnlock();
        const [outcome] = await waiter.outcomes;
        expect(describeFailures([outcome])).toBe('');
        const { wallMs } = blockedValue(outcome);
        expect(wallMs, `time the ${side}r was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[`${side}er`], `the ${side}r`, `blocked in ${side}Lock()`);
      }
      invariantsHold(lock);
    }),
  );

  test(
    'wakes every blocked reader when the writer leaves, and a blocked writer when the last reader leaves (no lost wakeup)',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { segment, lock, shared } = setUp('wakeup');
      const blockedOn = (names: string[], side: 'read' | 'write') =>
        names.map((name) => actor(name, 'worker', 'blocked', { ...shared, flag: FLAG, side }));
      const allServed = async (running: WatchedRun, what: string) => {
        const outcomes = await running.outcomes;
        expect(describeFailures(outcomes), what).toBe('');
        for (const outcome of outcomes)
          expect(blockedValue(outcome).acquired, `${outcome.name} got the lock`).toBe(true);
      };
      // Readers asleep behind a writer: writeUnlock must wake every one of them.
      for (const readers of [1, 3, 2]) {
        segment.store(FLAG, 0);
        lock.writeLock();
        const names = Array.from({ length: readers }, (_, i) => `reader-${i}`);
        const running = watchActors(blockedOn(names, 'read'), { timeoutMs: 4000 });
        await until(segment, FLAG, 'the readers to call readLock()', readers);
        await asleepInLock(segment, readers, [running]);
        lock.writeUnlock();
        await allServed(
          running,
          `${readers} reader(s) blocked in readLock(): each must get in once writeUnlock() has run`,
        );
      }
      // A writer asleep behind two read shares: the last readUnlock must wake it.
      segment.store(FLAG, 0);
      lock.readLock();
      lock.readLock();
      let running = watchActors(blockedOn(['writer'], 'write'), { timeoutMs: 4000 });
      await until(segment, FLAG, 'the writer to call writeLock()');
      await asleepInLock(segment, 1, [running]);
      lock.readUnlock();
      await sleep(50);
      lock.readUnlock();
      await allServed(
        running,
        'a writer blocked in writeLock(): it must get in once the last reader has left',
      );
      // A writer and two readers behind it: the last reader wakes the writer, the writer the readers.
      segment.store(FLAG, 0);
      lock.readLock();
      running = watchActors(blockedOn(['writer'], 'write'), { timeoutMs: 6000 });
      await until(segment, FLAG, 'the writer to call writeLock()');
      await asleepInLock(segment, 1, [running]);
      const readers = watchActors(blockedOn(['reader-0', 'reader-1'], 'read'), {
        timeoutMs: 6000,
      });
      await until(segment, FLAG, 'the readers to call readLock()', 3);
      await asleepInLock(segment, 3, [running, readers]);
      lock.readUnlock();
      await allServed(running, 'a writer blocked in writeLock() while readers queue behind it');
      await allServed(
        readers,
        'two readers held back by a waiting writer: its writeUnlock() must wake both',
      );
      invariantsHold(lock);
    }),
  );

  test(
    'keeps writers alone and loses no wakeup under controlled schedules (2 readers + 1 writer)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = { implementation, lockOffset: 64, readers: 0, writers: 1, rounds: 2 };
      const check = (outcomes: ActorResult[]) => {
        const clashes = outcomes.reduce((n, o) => n + (o.value as number), 0);
        return clashes === 0 ? null : `a writer shared the lock with someone (${clashes} times)`;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 150,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void ReadersWriterLock.init(segment, 64),
        actors: [
          { name: 'R1', kind: 'worker', scenario: 'readRounds', args },
          { name: 'R2', kind: 'process', scenario: 'readRounds', args },
          { name: 'W', kind: 'worker', scenario: 'writeRounds', args },
        ],
        check,
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [
          [1, 0, 1],
          [1, 0, 2],
          [1, 1, 1],
        ].map((rounds) => ({
          label: `${rounds.join(', ')} rounds for R1, R2, W instead of 2 each`,
          args: rounds.map((r) => ({ ...args, rounds: r })),
          check,
        })),
      });
    }),
  );

  test(
    'keeps writers alone when tryReadLock and tryWriteLock race the blocking locks under controlled schedules (1 reader + 2 writers)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      // The try methods called while others take the lock by blocking: a
      // tryWriteLock that loads 0 and then stores lets a second holder in.
      const args = { implementation, lockOffset: 64, readers: 0, writers: 1, rounds: 2 };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 100,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 256,
        init: (segment) => void ReadersWriterLock.init(segment, 64),
        actors: [
          { name: 'R', kind: 'worker', scenario: 'readRounds', args: { ...args, tryFirst: true } },
          {
            name: 'W1',
            kind: 'process',
            scenario: 'writeRounds',
            args: { ...args, tryFirst: true },
          },
          { name: 'W2', kind: 'worker', scenario: 'writeRounds', args },
        ],
        check: (outcomes) => {
          const clashes = outcomes.reduce((n, o) => n + (o.value as number), 0);
          return clashes === 0 ? null : `a writer shared the lock with someone (${clashes} times)`;
        },
      });
    }),
  );
});
