// The grader's side of the shim: controlled scheduling, schedule perturbation
// and the subreaper. Not for learners, and not importable from a submission:
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
 * Collects the exit status of an orphan re-parented to this process once it
 * has exited, so it does not stay a zombie. True if it was reaped. Only for
 * processes this process did not spawn (Node reaps those itself).
 */
export function reapAdopted(pid: number): boolean {
  return native.reapAdopted(pid);
}
