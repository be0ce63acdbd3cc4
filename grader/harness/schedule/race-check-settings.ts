// The learners' race check (race-check.ts), in a module with no imports: the
// course CLI reads these without loading the shim.

/** The public seeds: every exercise's check passes under each of them, or fails. */
export const RACE_CHECK_SEEDS: readonly number[] = [1, 2, 3];
/** Controlled runs per seed. */
export const RACE_CHECK_RUNS = 40;
/** Every race check's test name ends with this: verify prints its failure whole. */
export const RACE_CHECK_SUFFIX = '(race check)';
