// The report of a failed controlled test: what failed, how far the run was
// shrunk, the racing pair, whether the run shown replays exactly (and if not,
// which actor decided differently outside the shim), the table, the command.
import type { ControlledDetails } from '../failure-class.ts';
import type { RunRecord } from './scheduler.ts';
import { preemptions } from './script.ts';
import type { Shrunk } from './shrink.ts';
import { formatTrace, rowText, tableRows, type TraceRow } from './trace.ts';

export interface FailureStory {
  names: string[];
  /** The run the strategy found. */
  first: RunRecord;
  /** The shrinking of it, or null when it could not be replayed at all. */
  shrunk: Shrunk | null;
  /** The smaller version of the scenario the run shown is of, or null for the scenario itself. */
  smallerVersion: string | null;
  /** The run shown, replayed once more from its schedule; null if not replayed. */
  again: RunRecord | null;
  heading: string;
  replayCommand: string;
}

const sameRow = (a: TraceRow | undefined, b: TraceRow | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a.actor === b.actor &&
  a.text === b.text &&
  a.where === b.where;

function replayNote(shown: RunRecord, again: RunRecord | null, names: string[]): string {
  if (again === null)
    return `not replayed: ${shown.stuck.map((a) => names[a]).join(', ') || 'an actor'} had to be stopped (it ran outside the shim)`;
  const d = shown.rows.findIndex((r, i) => !sameRow(r, again.rows[i]));
  if (d < 0 && again.rows.length === shown.rows.length)
    return 'replayed: the same interleaving and the same failure';
  const at = d < 0 ? shown.rows.length : d;
  const was = shown.rows[at];
  const now = again.rows[at];
  // The actor whose code between two shim calls decided differently: the one of the differing row
  // if both runs have it there, else the one that ran just before.
  const actor =
    was && now && was.actor === now.actor ? was.actor : (shown.rows[at - 1]?.actor ?? was?.actor);
  const before = shown.rows
    .slice(0, at)
    .filter((r) => r.actor === actor)
    .at(-1);
  const did = (r: TraceRow | undefined) =>
    r ? `${names[r.actor]}: ${rowText(r)}` : 'the run ended';
  return `COULD NOT REPRODUCE: replayed from the same schedule, the run differed at row ${at + 1} (shown: ${did(was)}; replay: ${did(now)}). ${actor === undefined ? 'An actor' : names[actor]} decided differently outside the shim${before ? ` after its call at ${before.where || `step ${before.step}`}` : ''}: a clock, Math.random or memory it reads without the shim; the table is the run that failed, the replay command may not show it again`;
}

export function describeFailure(story: FailureStory): ControlledDetails & { message: string } {
  const { names, first, shrunk, again } = story;
  const shown = shrunk?.record ?? first;
  const failure = shown.failure!;
  const pair = shrunk?.racingPair ?? null;
  const pairRow = (step: number) => shown.rows.find((r) => r.step === step)!;
  const racingPair = pair
    ? `steps ${pair[0]} and ${pair[1]} (${pair.map((s) => `${names[pairRow(s).actor]}: ${rowText(pairRow(s))}`).join(', then ')}): in the other order the run passes`
    : null;
  const shrinkLine = shrunk
    ? `shrunk from ${first.steps} steps and ${preemptions(first.decisions)} preemptions to ${shown.steps} steps and ${preemptions(shown.decisions)} preemptions${story.smallerVersion ? `, in the same scenario with ${story.smallerVersion}` : ''}${shrunk.preemptionsBeforeReorder === null ? '' : ` (${shrunk.preemptionsBeforeReorder} before the racing pair was brought together)`}, in ${shrunk.replays} replays`
    : 'not shrunk: an actor had to be stopped, so the run cannot be replayed';
  const pairLine = pair
    ? `racing pair ⇄: ${racingPair}`
    : shrunk && !shrunk.pairSearchComplete
      ? 'racing pair: none found before the replay budget ran out'
      : 'racing pair: none found (no single swap of two adjacent steps of different actors makes the run pass)';
  const trace = formatTrace(shown.rows, names, pair ?? []);
  const message = [
    `${story.heading} failed: ${failure.message}`,
    shrinkLine,
    pairLine,
    `interleaving, ${tableRows(shown.rows)} rows (${replayNote(shown, again, names)}):`,
    trace,
    `replay: ${story.replayCommand}`,
  ].join('\n');
  return {
    message,
    class: failure.class ?? null,
    trace,
    rows: tableRows(shown.rows),
    racingPair,
    shrinkMs: shrunk?.ms ?? 0,
    spurious: shown.decisions.some((d) => d.spurious !== undefined),
    escaped: failure.kind === 'no-shim-call',
    replay: story.replayCommand,
  };
}
