// Loads the compiled addon and declares its interface. Only native/ imports this;
// learners use the typed wrappers exported by native/index.ts.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/** A wait in progress: who sleeps, on which cell, expecting what, and what the cell holds now. */
export interface WaitingThread {
  threadId: number;
  segment: string | null;
  byteOffset: number;
  expected: number;
  value: number;
}

/** What the addon was compiled against (native/src/v8_bridge.cc). */
export interface BridgeInfo {
  /** The V8 version of the headers it was built with. */
  v8: string;
  /** How it makes SharedArrayBuffers: Node-API where this Node offers it, else V8's API. */
  sharedArrayBuffers: 'node-api' | 'v8';
}

export interface NativeShim {
  bridgeInfo(): BridgeInfo;
  /** Throws EABI when the addon was built for another V8 or reads handles differently. */
  checkBridge(): void;
  createSegment(name: string, byteLength: number): SharedArrayBuffer;
  openSegment(name: string): SharedArrayBuffer;
  unlinkSegment(name: string): void;
  /** undefined only while Node is stopping this thread. */
  wait(
    sab: SharedArrayBuffer,
    index: number,
    expected: number,
    timeoutMs: number,
  ): WaitResult | undefined;
  waitAsync(
    sab: SharedArrayBuffer,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<WaitResult>;
  notify(sab: SharedArrayBuffer, index: number, count: number): number;
  registerThread(threadId: number): void;
  abortThread(threadId: number): boolean;
  abortAllThreads(): number;
  waitSettings(): { sliceMs: number; limitMs: number };
  listWaits(): WaitingThread[];
  pipe(): [number, number];
  mkfifo(path: string, mode?: number): void;
  openFifo(path: string, mode: 'r' | 'w'): number;
  read(fd: number, maxBytes: number): Uint8Array;
  write(fd: number, bytes: Uint8Array): number;
  close(fd: number): void;
  getpid(): number;
  gettid(): number;
  yieldThread(): void;
  sleepMicros(microseconds: number): void;
  flock(fd: number, operation: 'exclusive' | 'shared' | 'unlock', wait?: boolean): boolean;
  becomeSubreaper(): void;
  setAffinity(cpus: number[]): void;
  getAffinity(): number[];
  reapOrphan(pid: number): boolean;
  mqOpen(
    name: string,
    create: boolean,
    exclusive: boolean,
    maxMessages?: number,
    messageSize?: number,
  ): number;
  mqSend(mqd: number, data: Uint8Array, priority: number, timeoutMs: number): boolean;
  mqReceive(mqd: number, timeoutMs: number): { data: Uint8Array; priority: number } | undefined;
  mqAttributes(mqd: number): { maxMessages: number; messageSize: number; currentMessages: number };
  mqClose(mqd: number): void;
  mqUnlink(name: string): void;
}

const addonPath = fileURLToPath(new URL('./build/Release/ipc_shim.node', import.meta.url));

function load(): NativeShim {
  let shim: NativeShim;
  try {
    shim = createRequire(import.meta.url)(addonPath) as NativeShim;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The native shim is not built (${reason}).\nRun \`npm install\` (or \`npm run build:native\`) at the repository root.`,
    );
  }
  // Before any call that crosses into V8: a shim built for another Node stops here, with EABI.
  shim.checkBridge();
  return shim;
}

export const native: NativeShim = load();
