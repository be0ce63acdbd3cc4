// The error every misuse of the shim (and of the course's shared objects) throws.
// `code` is stable and named after POSIX errno where one fits; tests and
// learners match on it, never on the message.

export type ShimErrorCode =
  | 'EINVAL' // an argument of the wrong type or out of its domain
  | 'ERANGE' // a cell index or byte range outside the segment
  | 'EALIGN' // a byte offset that is not a multiple of 4 where a cell is expected
  | 'ECLOSED' // a closed segment, buffer or mailbox
  | 'EEXIST' // creating a segment whose name is taken
  | 'ENOENT' // opening or unlinking a segment that does not exist
  | 'ENOTDIR' // IPC_SHM_DIR names no folder
  | 'EABORTED' // a wait ended from outside (abortThread)
  | 'EDEADLK' // a wait blocked longer than IPC_SHIM_WAIT_LIMIT_MS
  | 'EPERM' // unlocking what is not locked
  | 'EBROKEN' // a broken barrier
  | 'EMSGSIZE' // a message larger than the maximum
  | 'EABI' // a native shim built for another Node (rebuild it: npm run build:native)
  | (string & {}); // errno names from the kernel (EPIPE, EMFILE, ...)

export class ShimError extends Error {
  readonly code: ShimErrorCode;
  constructor(code: ShimErrorCode, message: string) {
    super(message);
    this.name = 'ShimError';
    this.code = code;
  }
}

/** True if `error` is an Error carrying this `code` (from JS or from the native addon). */
export function hasCode(error: unknown, code: ShimErrorCode): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}
