// One controlled run: start every actor at its first shim call, then, step by
// step, let the strategy pick one runnable actor, let it run to its next shim
// call, and keep the books: who is blocked on which cell and until when, what
// each cell last held, who notified it. Virtual time moves when nobody can run
// (Go's testing/synctest), and, by the strategy's dice, to the next timeout
// while others still run; either way timeouts fire in an order the seed fixes.
import { controlLayout as L } from '../../../native/internal.ts';
import type { FailureClass } from '../failure-class.ts';
import type { ControlBoard } from './board.ts';
import type { Strategy } from './strategies.ts';
import type { TraceRow } from './trace.ts';

export interface ActorResult {
  name: string;
  status: 'done' | 'error' | 'stopped';
  value?: unknown;
  error?: string;
  code?: string;
}

export type FailureKind =
  | 'deadlock'
  | 'livelock'
  | 'steps'
  | 'no-shim-call'
  | 'start'
  | 'check'
  | 'error';

export interface RunFailure {
  kind: FailureKind;
  message: string;
  /** Cells the failure is about. */
  cells: string[];
  /** Its class, for hints, when known. */
  class?: FailureClass;
}

/** What was decided at one step: enough to replay it (script.ts) and to shrink it (shrink.ts). */
export interface Decision {
  /** The actors that could run when the pick was made. */
  runnable: number[];
  pick: number;
  /** The earliest pending timeout fired before the pick, while some actor could still run. */
  early?: boolean;
  /** This sleeper was woken spuriously before the pick. */
  spurious?: number;
  /** Whom the step's notify woke. */
  woke?: number[];
}

export interface RunRecord {
  steps: number;
  /** One per step, in order. */
  decisions: Decision[];
  /** Steps where more than one actor could run: the k of PCT. */
  contested: number;
  virtualMs: number;
  rows: TraceRow[];
  outcomes: ActorResult[];
  failure: RunFailure | null;
  /** Actors that never came back: the pool must replace them. */
  stuck: number[];
}

export interface RunLimits {
  maxSteps: number;
  /** Real time an actor may run between two shim calls. */
  stepTimeoutMs: number;
  /** Real time for every actor to reach its first shim call. */
  startTimeoutMs: number;
  /** Virtual time a run may last while nothing but spinning happens. */
  maxVirtualMs: number;
}

/** After this many steps in a row that change nothing, an actor is spinning: it waits until someone changes memory. */
const PARK_AFTER = 3;
/** Spinners only: the first advance of virtual time when every actor spins, doubled while nothing changes. */
const FIRST_QUANTUM_MS = 1;

interface Blocked {
  cell: string;
  expected: number;
  deadline: number | null;
  since: number;
}
interface ActorBook {
  status: 'runnable' | 'blocked' | 'finished';
  wake?: { result: 'ok' | 'timed-out'; why: string; notifyStep?: number };
  blocked?: Blocked;
  streak: number;
  parked: boolean;
}
interface CellNews {
  value: number;
  step: number;
  actor: number;
  text: string;
}
interface NotifyNews {
  step: number;
  actor: number;
  woke: number;
}

export function runOnce(
  board: ControlBoard,
  names: string[],
  run: number,
  args: unknown[],
  strategy: Strategy,
  limits: RunLimits,
): RunRecord {
  const books: ActorBook[] = names.map(() => ({ status: 'runnable', streak: 0, parked: false }));
  const record: RunRecord = {
    steps: 0,
    decisions: [],
    contested: 0,
    virtualMs: 0,
    rows: [],
    outcomes: [],
    failure: null,
    stuck: [],
  };
  const labels = new Map<string, string>();
  const lastWrite = new Map<string, CellNews>();
  const lastNotify = new Map<string, NotifyNews>();
  const row = (actor: number, text: string, cell?: string, where?: string) =>
    record.rows.push({ step: record.steps, actor, text, cell, ...(where ? { where } : {}) });
  const fail = (kind: FailureKind, message: string, cells: string[] = []) =>
    (record.failure ??= { kind, message, cells });
  const cellOf = (actor: number, index: number, bytes = false) => {
    const name = board.segmentName(actor);
    if (!labels.has(name)) labels.set(name, `s${labels.size + 1}`);
    return `${labels.get(name)}@${bytes ? index : index * 4}`;
  };

  let seen = board.handbacks;
  board.startRun(run, args);
  const startBy = performance.now() + limits.startTimeoutMs;
  while (books.some((_, a) => board.get(a, L.SLOT.STATE) === L.STATE.IDLE)) {
    if (!board.awaitHandback(seen, startBy - performance.now())) {
      const late = names.filter((_, a) => board.get(a, L.SLOT.STATE) === L.STATE.IDLE);
      fail('start', `${late.join(', ')} did not start within ${limits.startTimeoutMs} ms`);
      record.stuck.push(...late.map((n) => names.indexOf(n)));
      break;
    }
    seen = board.handbacks;
  }
  for (let a = 0; a < names.length; a++) noteState(a);

  let quantum = FIRST_QUANTUM_MS;
  let changedSinceUnpark = true;
  while (!record.failure && books.some((b) => b.status !== 'finished')) {
    let runnable = runnableNow();
    if (runnable.length === 0) {
      if (books.some((b) => b.parked)) {
        if (!changedSinceUnpark) {
          advanceClock(board.clock + quantum);
          quantum = Math.min(quantum * 2, 1000);
          if (board.clock > limits.maxVirtualMs) {
            fail(
              'livelock',
              `${spinners()} kept spinning for ${board.clock} ms of virtual time and nothing changed: a busy wait that never sleeps or gives up`,
            );
            break;
          }
        }
        for (const b of books) b.parked = false;
        changedSinceUnpark = false;
        continue;
      }
      const timers = books.filter((b) => b.status === 'blocked' && b.blocked!.deadline !== null);
      if (timers.length > 0) {
        advanceClock(Math.min(...timers.map((b) => b.blocked!.deadline!)));
        continue;
      }
      const explained = explainDeadlock();
      fail(
        'deadlock',
        explained.text,
        books.filter((b) => b.status === 'blocked').map((b) => b.blocked!.cell),
      ).class = explained.lost ? 'lost-wakeup' : 'deadlock';
      break;
    }
    // Real time passes while others run: now and then let the earliest timeout fire early,
    // so a wait can time out while another actor holds what it waits for.
    const decision: Decision = { runnable, pick: -1 };
    const timers = books.filter((b) => b.status === 'blocked' && b.blocked!.deadline !== null);
    if (timers.length > 0 && strategy.fireEarly()) {
      advanceClock(Math.min(...timers.map((b) => b.blocked!.deadline!)));
      runnable = runnableNow();
      decision.early = true;
    }
    const sleeper = strategy.spurious(books.flatMap((b, a) => (b.status === 'blocked' ? [a] : [])));
    if (sleeper !== null) {
      wake(sleeper, 'ok', 'spurious');
      runnable = runnableNow();
      decision.spurious = sleeper;
    }
    if (runnable.length > 1) record.contested++;
    const chosen = strategy.pick(runnable, record.contested);
    decision.runnable = runnable;
    decision.pick = chosen;
    record.decisions.push(decision);
    if (++record.steps > limits.maxSteps) {
      fail(
        'steps',
        `the run took more than ${limits.maxSteps} shim calls: ${spinners() || names.join(', ')} may loop without end`,
      );
      break;
    }
    step(chosen);
  }
  record.virtualMs = board.clock;
  stopTheRest();
  record.outcomes = names.map((name, a) => outcomeOf(name, a));
  return record;

  function runnableNow(): number[] {
    return books.flatMap((b, a) => (b.status === 'runnable' && !b.parked ? [a] : []));
  }

  function spinners(): string {
    return names.filter((_, a) => books[a].parked || books[a].streak >= PARK_AFTER).join(', ');
  }

  function advanceClock(to: number): void {
    board.clock = Math.max(board.clock, Math.ceil(to));
    for (const [a, b] of books.entries()) {
      if (
        b.status === 'blocked' &&
        b.blocked!.deadline !== null &&
        b.blocked!.deadline <= board.clock
      ) {
        wake(a, 'timed-out', `at ${board.clock} ms`);
      }
    }
  }

  function wake(actor: number, result: 'ok' | 'timed-out', why: string, notifyStep?: number): void {
    const b = books[actor];
    b.status = 'runnable';
    b.wake = { result, why, notifyStep };
    b.parked = false;
  }

  function step(actor: number): void {
    const b = books[actor];
    const wakeUp = b.wake;
    let op: L.OpName = 'start';
    let cell: string | undefined;
    let arg1 = 0;
    let index = 0;
    // Read before the grant: once the actor runs, it posts its next call's site.
    const where = board.callSite(actor);
    if (wakeUp) {
      board.set(actor, L.SLOT.RESULT, L.WAIT_CODES.indexOf(wakeUp.result));
      row(actor, `↳ wakes: ${wakeUp.result} (${wakeUp.why})`, b.blocked?.cell, where);
      b.wake = undefined;
      b.blocked = undefined;
    } else {
      op = L.OPS[board.get(actor, L.SLOT.OP)];
      index = board.get(actor, L.SLOT.INDEX);
      arg1 = board.get(actor, L.SLOT.ARG1);
      if (op !== 'start' && op !== 'yield')
        cell = cellOf(actor, index, op === 'read' || op === 'write');
      if (op === 'notify') notify(actor, cell!, arg1);
    }
    if (!board.grant(actor, limits.stepTimeoutMs)) {
      const doing = wakeUp ? 'after waking' : `after ${op}${cell ? ` ${cell}` : ''}`;
      fail(
        'no-shim-call',
        `${names[actor]} ran for ${limits.stepTimeoutMs} ms ${doing} without another shim call or returning: a loop outside the shim, a long computation, or the actor exited`,
      );
      record.stuck.push(actor);
      return;
    }
    const changed = wakeUp ? true : describe(actor, op, cell, index, arg1, where);
    noteState(actor);
    if (b.status !== 'runnable' || op === 'start') {
      b.streak = 0; // asleep or done: not spinning
      if (changed) changedSinceUnpark = true;
    } else if (changed) {
      b.streak = 0;
      quantum = FIRST_QUANTUM_MS;
      changedSinceUnpark = true;
      for (const other of books) other.parked = false;
    } else if (++b.streak >= PARK_AFTER || op === 'yield') {
      b.parked = true;
      b.streak = 0;
      strategy.demote(actor);
    }
  }

  function notify(actor: number, cell: string, count: number): void {
    const waiters = books.flatMap((b, a) =>
      b.status === 'blocked' && b.blocked!.cell === cell ? [a] : [],
    );
    const woken = strategy.wake(waiters, count < 0 ? waiters.length : count);
    if (woken.length > 0) record.decisions[record.decisions.length - 1].woke = woken;
    for (const a of woken) wake(a, 'ok', `notify, step ${record.steps}`, record.steps);
    board.set(actor, L.SLOT.RESULT, woken.length);
    lastNotify.set(cell, { step: record.steps, actor, woke: woken.length });
  }

  /** Adds the row for an operation that just ran; true if it changed memory or woke someone. */
  function describe(
    actor: number,
    op: L.OpName,
    cell: string | undefined,
    index: number,
    arg1: number,
    where: string,
  ): boolean {
    const old = board.get(actor, L.SLOT.OLD);
    const now = board.get(actor, L.SLOT.NEW);
    const result = board.get(actor, L.SLOT.RESULT);
    const blocked = board.get(actor, L.SLOT.STATE) === L.STATE.BLOCKED;
    let text: string;
    let changed = old !== now;
    switch (op) {
      case 'start':
        text = 'starts';
        break;
      case 'yield':
        text = 'yields';
        break;
      case 'load':
        text = `load ${cell} → ${old}`;
        break;
      case 'compareExchange':
        text = old === arg1 ? `cas ${cell} ${old}→${now} ✓` : `cas ${cell} ${old}≠${arg1} ✗`;
        break;
      case 'store':
      case 'exchange':
        text = `${op} ${cell} ${old}→${now}`;
        break;
      case 'wait': {
        const timeout = board.get(actor, L.SLOT.TIMEOUT);
        text = blocked
          ? `wait ${cell} ==${arg1}: sleeps${timeout >= 0 ? ` (timeout ${timeout} ms)` : ''}`
          : `wait ${cell} ==${arg1}: ${L.WAIT_CODES[result]}`;
        if (blocked)
          books[actor].blocked = {
            cell: cell!,
            expected: arg1,
            deadline: timeout >= 0 ? board.clock + timeout : null,
            since: record.steps,
          };
        break;
      }
      case 'notify': {
        const woke = books.flatMap((b, a) =>
          b.wake?.notifyStep === record.steps ? [names[a].split(' ')[0]] : [],
        );
        text = `notify ${cell}: woke ${result}${woke.length ? ` (${woke.join(', ')})` : ''}`;
        changed = result > 0;
        break;
      }
      case 'read':
        text = `read ${cell}, ${arg1} bytes`;
        break;
      case 'write':
        text = `write ${cell}, ${arg1} bytes`;
        changed = true;
        break;
      default:
        text = `${op} ${cell} ${arg1}: ${old}→${now}`;
    }
    if (cell && old !== now) lastWrite.set(cell, { value: now, step: record.steps, actor, text });
    row(actor, text, cell, where);
    return changed;
  }

  function noteState(actor: number): void {
    const b = books[actor];
    const state = board.get(actor, L.SLOT.STATE);
    if (state === L.STATE.BLOCKED) b.status = 'blocked';
    else if (state === L.STATE.FINISHED) {
      b.status = 'finished';
      const outcome = board.outcome(actor) as { kind?: string; message?: string; code?: string };
      row(
        actor,
        outcome.kind === 'result'
          ? 'returns'
          : // With a code, the message is the failure's own (explore.ts): the row names the code only.
            `throws ${outcome.code ?? named(outcome.message ?? '')}`,
      );
    } else if (b.status !== 'blocked' || b.wake) b.status = 'runnable';
  }

  /** Segment names in a text replaced by their labels: a run's segments are new each run, its labels not. */
  function named(text: string): string {
    let out = text;
    for (const [name, label] of labels) out = out.split(name).join(label);
    return out;
  }

  function explainDeadlock(): { text: string; lost: boolean } {
    let lostAny = false;
    const lines = books.flatMap((b, a) => {
      if (b.status !== 'blocked') return [];
      const { cell, expected, since } = b.blocked!;
      const write = lastWrite.get(cell);
      const notice = lastNotify.get(cell);
      const holds = write
        ? `it holds ${write.value} since step ${write.step} (${names[write.actor]}: ${write.text})`
        : `nobody changed it`;
      const notified =
        notice && notice.step > since
          ? `the last notify of ${cell} was at step ${notice.step} by ${names[notice.actor]}, waking ${notice.woke}`
          : `no notify of ${cell} since it went to sleep`;
      const lost =
        write && write.value !== expected && !(notice && notice.step > write.step)
          ? ': a lost wakeup'
          : '';
      if (lost) lostAny = true;
      return [
        `${names[a]} sleeps on ${cell} until it changes from ${expected} (since step ${since}); ${holds}; ${notified}${lost}`,
      ];
    });
    return {
      text: `deadlock: every actor is blocked and no timeout is pending\n  ${lines.join('\n  ')}`,
      lost: lostAny,
    };
  }

  function stopTheRest(): void {
    const stopBy = performance.now() + limits.stepTimeoutMs;
    for (const [a, b] of books.entries()) {
      if (b.status === 'finished' || record.stuck.includes(a)) continue;
      while (board.get(a, L.SLOT.STATE) !== L.STATE.FINISHED) {
        const before = board.handbacks;
        board.abort(a);
        if (!board.awaitHandback(before, stopBy - performance.now())) {
          record.stuck.push(a);
          break;
        }
      }
    }
  }

  function outcomeOf(name: string, actor: number): ActorResult {
    if (board.get(actor, L.SLOT.STATE) !== L.STATE.FINISHED)
      return { name, status: 'stopped', error: 'did not finish' };
    const outcome = board.outcome(actor) as {
      kind?: string;
      value?: unknown;
      message?: string;
      code?: string;
    };
    if (books[actor].status !== 'finished')
      return { name, status: 'stopped', error: 'stopped by the scheduler' };
    if (outcome.message !== undefined) outcome.message = named(outcome.message);
    return outcome.kind === 'result'
      ? { name, status: 'done', value: outcome.value }
      : { name, status: 'error', error: outcome.message, code: outcome.code };
  }
}
