// The grader's side of the shim: controlled scheduling, schedule perturbation
// and the subreaper (and reaping its orphans). Not for learners, and not importable from a submission:
// native/runtime/resolve-shim.mjs (actors) and grader/harness/native-boundary.ts
// (the suite's own process) refuse any import of it from a submission's files.
// Learners, solutions and lessons import '@ipc-course/shim' (index.ts) only.
import { native } from './binding.ts';

export { ControlledActor } from './control.ts';
export * as controlLayout from './control-layout.ts';
export { perturbSettings, decisionStream, type PerturbDecision } from './perturb.ts';

/**
 * Makes this process the one that orphaned descendants are re-parented to
 * (prctl PR_SET_CHILD_SUBREAPER), so a grader can find and end processes a
 * submission started and abandoned, even ones that left the process group.
 */
export function becomeSubreaper(): void {
  native.becomeSubreaper();
}

/**
 * Collects the exit status of an orphan re-parented here (waitpid WNOHANG), so
 * it leaves no zombie: Node reaps only the children it started itself. True
 * once the process has ended and is gone; false while it still runs. Never
 * call it for a child Node started (its exit event would never come).
 */
export function reapOrphan(pid: number): boolean {
  return native.reapOrphan(pid);
}
