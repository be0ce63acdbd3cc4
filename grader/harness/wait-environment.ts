// How futex waits behave under test (see README: "Environment variables").
//
// Exact futex semantics (no slices), so a wakeup that never comes is a hang
// the suite sees, not a 50 ms delay hidden by re-checking; and a wait limit
// below the test timeout, so a thread blocked forever fails with EDEADLK and a
// readable message instead of a silent timeout.
export const waitEnvironment = {
  IPC_SHIM_SLICE_MS: '0',
  IPC_SHIM_WAIT_LIMIT_MS: '20000',
} as const;
