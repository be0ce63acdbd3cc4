// Entry of the object host: an untrusted process that loads submission modules
// and lets the trusted side use them as remote objects (realm/remote.ts). It
// answers one request at a time over a channel segment (realm/channel.ts) and
// settles promises over the IPC channel. Everything it sends is data (wire.ts).
//
// Requests: import a module; get or set a property; call a function or method;
// construct a class; ping (the trusted side times answers to see whether this
// process's event loop is free).
import { Segment } from '@ipc-course/shim';
import { serve } from './channel.ts';
import { decode, encode, type Wire } from './wire.ts';

interface Request {
  op: 'import' | 'get' | 'set' | 'call' | 'construct' | 'ping';
  url?: string;
  ref?: number;
  key?: string | null;
  value?: Wire;
  args?: Wire[];
}

export type Answer =
  | { ok: Wire }
  | { promise: number }
  | { throw: { message: string; code: string | null } };

const objects = new Map<number, unknown>();
const idOf = new WeakMap<object, number>();
const segments = new Map<string, Segment>();
let nextId = 1;
let nextPromise = 1;

function keep(value: object): number {
  let id = idOf.get(value);
  if (id === undefined) {
    id = nextId++;
    idOf.set(value, id);
    objects.set(id, value);
  }
  return id;
}

const hooks = {
  special(value: object): Wire {
    if (value instanceof Segment) return { $segment: value.name };
    return { $ref: keep(value), $fn: typeof value === 'function' };
  },
  ref({ $ref }: { $ref: number }): unknown {
    if (!objects.has($ref)) throw new Error(`no object ${$ref} on the host`);
    return objects.get($ref);
  },
  segment(name: string): Segment {
    let segment = segments.get(name);
    if (!segment) {
      segment = Segment.open(name);
      segments.set(name, segment);
    }
    return segment;
  },
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

function thrown(error: unknown): Answer {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return {
    throw: {
      message: String(message ?? error),
      code: typeof code === 'string' ? code : null,
    },
  };
}

/** A result: data now, or a promise id whose settlement comes later over IPC. */
function answer(result: unknown): Answer {
  if (!isThenable(result)) return { ok: encode(result, hooks) };
  const id = nextPromise++;
  Promise.resolve(result).then(
    (value) => settle(id, () => ({ ok: encode(value, hooks) })),
    (error) => settle(id, () => thrown(error)),
  );
  return { promise: id };
}

function settle(id: number, outcome: () => Answer): void {
  let message: Answer;
  try {
    message = outcome();
  } catch (error) {
    message = thrown(error);
  }
  process.send?.({ promise: id, ...message });
}

function target(request: Request): Record<string, unknown> {
  return hooks.ref({ $ref: request.ref ?? -1 }) as Record<string, unknown>;
}

const args = (request: Request) => (request.args ?? []).map((arg) => decode(arg, hooks));

async function handle(raw: unknown): Promise<Answer> {
  const request = raw as Request;
  try {
    switch (request.op) {
      case 'ping':
        return { ok: null };
      case 'import':
        // The namespace stays here as a handle: its exports are reached one by one.
        return { ok: { $ref: keep(await import(String(request.url))), $fn: false } };
      case 'get':
        return answer(target(request)[String(request.key)]);
      case 'set':
        target(request)[String(request.key)] = decode(request.value, hooks);
        return { ok: null };
      case 'call': {
        const self = target(request);
        const fn = request.key === null ? self : self[String(request.key)];
        if (typeof fn !== 'function')
          throw new TypeError(`${String(request.key)} is not a function`);
        return answer(Reflect.apply(fn, request.key === null ? undefined : self, args(request)));
      }
      case 'construct': {
        const Class = target(request) as unknown as new (...a: unknown[]) => unknown;
        return answer(Reflect.construct(Class, args(request)));
      }
      default:
        throw new Error(`unknown request ${String(request.op)}`);
    }
  } catch (error) {
    return thrown(error);
  }
}

// The trusted side is gone (it ended, or was killed): so is this host.
process.on('disconnect', () => process.exit(0));
// A promise of the submission's that rejects with nobody listening must not end the host.
process.on('unhandledRejection', () => {});

const channel = Segment.open(String(process.argv[2]));
await serve(channel, handle);
