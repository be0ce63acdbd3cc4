// Remote objects: how a hidden suite uses the submission without loading it.
//
//   const { Mutex } = remoteModule<typeof import('@submission/04-mutex/mutex.ts')>(ID, 'mutex.ts');
//   const mutex = Mutex.init(segment, 64);   // runs in the object host process
//   expect(mutex.tryLock()).toBe(true);      // a plain call, answered over shared memory
//
// The submission runs in an untrusted object host (one per test file, started
// on first use); this process gets back data only: numbers, strings, bytes,
// plain objects, errors with a code, and handles to objects that stay there.
// A method that returns a promise returns a real promise here. A call that
// never returns fails its test when the test's time is up, and the host is
// replaced, so the next test starts clean; objects made by the old host are
// then gone (using one throws), while classes and functions reached from the
// module are looked up again in the new one.
import { afterAll, beforeEach } from 'vitest';
import { Segment } from '@ipc-course/shim';
import { submissionModule } from '../submission.ts';
import { toUntrusted } from '../untrusted.ts';
import { CallTimedOut } from './channel.ts';
import { ObjectHost } from './object-host-client.ts';
import { encode, type RemoteHandle, type Wire } from './wire.ts';

/** Keys a test framework probes on any value; asking the host for them would only cost time. */
const LOCAL_KEYS = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType']);
const FALLBACK_LIMIT_MS = 30_000;
/** Kept back from the test's own timeout, so that our error, not vitest's, reports a hang. */
const MARGIN_MS = 1500;

let testDeadline = 0;
beforeEach(({ task }) => {
  testDeadline = performance.now() + (task.timeout || FALLBACK_LIMIT_MS);
});

/** Never less: a fresh host must have time to start even late in a test. */
const MIN_LIMIT_MS = 5000;
/** Loading a module: starting the host and tsx takes 1-3 s, more on a loaded machine. */
const LOAD_LIMIT_MS = 20_000;

function callLimitMs(): number {
  const left = testDeadline - performance.now() - MARGIN_MS;
  return testDeadline === 0 ? FALLBACK_LIMIT_MS : Math.max(MIN_LIMIT_MS, left);
}

/** Where a proxy's object lives now: its handle in the current host, found again if needed. */
type Locate = () => RemoteHandle;

const locators = new WeakMap<object, Locate>();
const bound = new Map<string, object>();

const host = new ObjectHost((generation) => ({
  ref: (handle) => boundProxy(generation, handle),
  segment: (name) => Segment.open(name),
}));
afterAll(() => host.close());

const encodeHooks = {
  special(value: object): Wire | undefined {
    if (value instanceof Segment) return { $segment: value.name };
    const locate = locators.get(value);
    if (locate) return { $ref: locate().$ref };
    return undefined;
  },
};

function request(op: string, fields: object, what: string): unknown {
  const limitMs = op === 'import' ? Math.max(LOAD_LIMIT_MS, callLimitMs()) : callLimitMs();
  try {
    return host.request({ op, ...fields }, limitMs, what);
  } catch (error) {
    if (error instanceof CallTimedOut) {
      const seconds = Math.round(limitMs / 1000);
      throw new Error(
        `timed out: ${what} never returned (a loop that never ends? a wait nobody ends?); the submission's process was ended after ${seconds} s`,
      );
    }
    throw error;
  }
}

const args = (values: unknown[]) => values.map((value) => encode(value, encodeHooks));

/**
 * The target of a proxy for a remote object that is not a function. Not a plain
 * object: encode() would send a plain one as its (empty) fields, so an instance
 * passed as an argument (the mutex a condition variable waits with) would
 * arrive as {} instead of as a reference.
 */
class RemoteObject {}

/** A proxy for a remote object; functions read from it are called as its methods. */
function proxy(locate: Locate, label: string, callable: boolean): object {
  const target = callable ? function remote() {} : new RemoteObject();
  const handler: ProxyHandler<typeof target> = {
    get(_, key) {
      if (typeof key === 'symbol' || LOCAL_KEYS.has(key)) return undefined;
      const what = `${label}.${key}`;
      const value = request('get', { ref: locate().$ref, key }, what);
      const child = typeof value === 'function' ? locators.get(value) : undefined;
      if (!child) return value;
      return (...values: unknown[]) =>
        request('call', { ref: locate().$ref, key, args: args(values) }, `${what}()`);
    },
    set(_, key, value) {
      if (typeof key === 'symbol') return false;
      request('set', { ref: locate().$ref, key, value: encode(value, encodeHooks) }, label);
      return true;
    },
    has(_, key) {
      return typeof key === 'string' && handler.get?.(target, key, undefined) !== undefined;
    },
    apply(_, __, values) {
      return request('call', { ref: locate().$ref, key: null, args: args(values) }, `${label}()`);
    },
    construct(_, values) {
      return request(
        'construct',
        { ref: locate().$ref, args: args(values) },
        `new ${label}()`,
      ) as object;
    },
  };
  const result = new Proxy(target, handler);
  locators.set(result, locate);
  return result;
}

/** A member of a remote object as a handle (it must be an object or a function). */
function member(parent: Locate, key: string, label: string): RemoteHandle {
  const value = request('get', { ref: parent().$ref, key }, label);
  const locate =
    typeof value === 'function' || (typeof value === 'object' && value !== null)
      ? locators.get(value)
      : undefined;
  if (!locate) throw new Error(`${label} is not exported as a class or function by the submission`);
  return locate();
}

/** A proxy found by name again in each new host (the module's classes, their statics). */
function pathProxy(resolve: Locate, label: string, callable: boolean): object {
  let cached: { generation: number; handle: RemoteHandle } | undefined;
  const locate: Locate = () => {
    const generation = host.ensureRunning();
    if (!cached || cached.generation !== generation) {
      cached = { generation, handle: resolve() };
    }
    return cached.handle;
  };
  return proxy(locate, label, callable);
}

/** A proxy for an object made by one host: using it after that host is gone throws. */
function boundProxy(generation: number, handle: RemoteHandle): object {
  const key = `${generation}:${handle.$ref}`;
  const known = bound.get(key);
  if (known) return known;
  const locate: Locate = () => {
    if (host.ensureRunning() !== generation) {
      throw new Error(
        "this object lived in a submission process that was ended after a call that never returned; the test can't use it",
      );
    }
    return handle;
  };
  const made = proxy(locate, 'object', handle.$fn);
  bound.set(key, made);
  return made;
}

/**
 * The submission's module `file` of exercise `exerciseId`, as remote objects.
 * `T` is the module's type (import type ... from '@submission/...').
 */
export function remoteModule<T>(exerciseId: string, file: string): T {
  return remoteModuleAt<T>(submissionModule(exerciseId, file), `${exerciseId}/${file}`);
}

/** The module at `url` (a file URL), as remote objects; `label` names it in errors. */
export function remoteModuleAt<T>(url: string, label: string): T {
  let cached: { generation: number; handle: RemoteHandle } | undefined;
  // A module that fails to load fails every test the same way: remember why, so
  // a module that never finishes loading costs one wait, not one per test.
  let failed: Error | undefined;
  const locateModule: Locate = () => {
    if (failed) throw failed;
    const generation = host.ensureRunning();
    if (!cached || cached.generation !== generation) {
      try {
        // Where the host finds the module: the submission, or the realm's runtime tree.
        const where = toUntrusted(new URL(url)).href;
        const module = request('import', { url: where }, `loading ${label}`);
        const handle = locators.get(module as object);
        if (!handle) throw new Error(`loading ${label} did not give a module`);
        cached = { generation, handle: handle() };
      } catch (error) {
        failed = error as Error;
        throw error;
      }
    }
    return cached.handle;
  };
  // Its exports are looked up on first use, not here: loading the submission
  // happens inside a test, where its errors and hangs are reported.
  const exports = new Proxy(
    {},
    {
      get(_, key) {
        if (typeof key === 'symbol' || LOCAL_KEYS.has(key)) return undefined;
        const label = `${key}`;
        return pathProxy(() => member(locateModule, key, label), label, true);
      },
    },
  );
  return exports as T;
}

/**
 * Round trip of a ping to the object host (ms): answered on its event loop, so
 * a long one means the submission blocked that loop. Infinity past `timeoutMs`.
 */
export function pingHost(timeoutMs: number): Promise<number> {
  return host.ping(timeoutMs);
}

/** The object host's pid, for checks made from outside it (CPU time). */
export function hostPid(): number | undefined {
  return host.pid();
}
