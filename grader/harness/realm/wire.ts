// The wire format between the trusted side and the object host: plain JSON with
// a few tagged shapes, so that what crosses is data, never code or an object
// with behaviour. Both sides use these functions; the trusted side decodes
// what the untrusted host sends with limits (depth, size), as untrusted input.
//
// Tags (one key starting with `$` marks a tagged value):
//   {$u: 1}                  undefined
//   {$n: 'NaN'|'Infinity'|'-Infinity'|'-0'}  numbers JSON cannot carry
//   {$big: '123'}            a bigint
//   {$bytes: base64}         a Uint8Array (or Buffer)
//   {$typed: name, $bytes}   another typed array (Int32Array, ...)
//   {$o: {...}}              a plain object, its values encoded
//   {$ref: id, $fn: bool}    an object that stays on the host (a class, an instance)
//   {$segment: name}         a shim Segment: the other side opens it by name
//   {$err: {message, code}}  an Error value

export type Wire = null | boolean | number | string | Wire[] | { [tag: string]: unknown };

export interface RemoteHandle {
  $ref: number;
  $fn: boolean;
}

const MAX_DEPTH = 32;
const TYPED = {
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;

/** How each side encodes what only it knows: objects it keeps, and segments. */
export interface EncodeHooks {
  /** A value that is not plain data: return its tagged form, or undefined to refuse it. */
  special(value: object | ((...args: unknown[]) => unknown)): Wire | undefined;
}

export interface DecodeHooks {
  /** A `$ref` from the other side. */
  ref(handle: RemoteHandle): unknown;
  /** A `$segment` from the other side. */
  segment(name: string): unknown;
}

const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function encodeNumber(value: number): Wire {
  if (Number.isNaN(value)) return { $n: 'NaN' };
  if (value === Infinity) return { $n: 'Infinity' };
  if (value === -Infinity) return { $n: '-Infinity' };
  if (Object.is(value, -0)) return { $n: '-0' };
  return value;
}

export function encode(value: unknown, hooks: EncodeHooks, depth = 0): Wire {
  if (depth > MAX_DEPTH) throw new Error(`a value nested deeper than ${MAX_DEPTH} levels`);
  if (value === undefined) return { $u: 1 };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'bigint') return { $big: value.toString() };
  if (typeof value === 'symbol') throw new Error('a symbol cannot cross between processes');
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name as TypedName;
    if (name in TYPED) {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return { $typed: name, $bytes: bytes.toString('base64') };
    }
  }
  if (Array.isArray(value)) return value.map((item) => encode(item, hooks, depth + 1));
  if (value instanceof Error) {
    const { message, code } = value as Error & { code?: unknown };
    return { $err: { message: String(message), code: typeof code === 'string' ? code : null } };
  }
  if (typeof value === 'object' && isPlain(value)) {
    const fields: Record<string, Wire> = {};
    for (const [key, item] of Object.entries(value)) fields[key] = encode(item, hooks, depth + 1);
    return { $o: fields };
  }
  const special = hooks.special(value as object);
  if (special === undefined) throw new Error(`a ${typeof value} cannot cross between processes`);
  return special;
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function decodeNumber(tag: unknown): number {
  const numbers: Record<string, number> = {
    NaN: Number.NaN,
    Infinity,
    '-Infinity': -Infinity,
    '-0': -0,
  };
  if (typeof tag !== 'string' || !(tag in numbers))
    throw new Error(`bad number tag ${String(tag)}`);
  return numbers[tag];
}

function decodeTyped(name: unknown, base64: unknown): ArrayBufferView {
  if (typeof name !== 'string' || !(name in TYPED) || typeof base64 !== 'string') {
    throw new Error('bad typed array');
  }
  const bytes = Buffer.from(base64, 'base64');
  const copy = new Uint8Array(bytes).buffer;
  const Typed = TYPED[name as TypedName];
  return new Typed(copy, 0, copy.byteLength / Typed.BYTES_PER_ELEMENT);
}

/** Decodes a wire value, refusing anything that is not one of the shapes above. */
export function decode(wire: unknown, hooks: DecodeHooks, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error(`a value nested deeper than ${MAX_DEPTH} levels`);
  if (wire === null || typeof wire === 'boolean' || typeof wire === 'string') return wire;
  if (typeof wire === 'number') return wire;
  if (Array.isArray(wire)) return wire.map((item) => decode(item, hooks, depth + 1));
  const tagged = asObject(wire);
  if (!tagged) throw new Error(`a value of type ${typeof wire} on the wire`);
  if ('$u' in tagged) return undefined;
  if ('$n' in tagged) return decodeNumber(tagged.$n);
  if ('$big' in tagged) return BigInt(String(tagged.$big));
  if ('$typed' in tagged) return decodeTyped(tagged.$typed, tagged.$bytes);
  if ('$bytes' in tagged) return new Uint8Array(Buffer.from(String(tagged.$bytes), 'base64'));
  if ('$segment' in tagged) return hooks.segment(String(tagged.$segment));
  if ('$ref' in tagged) {
    if (!Number.isInteger(tagged.$ref)) throw new Error('bad object reference');
    return hooks.ref({ $ref: tagged.$ref as number, $fn: tagged.$fn === true });
  }
  if ('$err' in tagged) {
    const fields = asObject(tagged.$err) ?? {};
    return remoteError(fields.message, fields.code);
  }
  const fields = asObject(tagged.$o);
  if (!fields) throw new Error('an object without a tag on the wire');
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(fields)) {
    // defineProperty: a key named __proto__ stays a plain field, never a prototype.
    Object.defineProperty(result, key, {
      value: decode(item, hooks, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** An Error rebuilt from what the other side sent: a message and a code, nothing more. */
export function remoteError(message: unknown, code: unknown): Error & { code?: string } {
  const error = new Error(String(message ?? 'error')) as Error & { code?: string };
  if (typeof code === 'string') error.code = code;
  return error;
}
