// The kernel's own IPC doors, for lessons and benchmarks: pipes, FIFOs and
// POSIX message queues. Reads and writes block the calling thread, as in C.
import { native } from './binding.ts';

/** pipe(2): returns [readFd, writeFd]. Both are close-on-exec. */
export function pipe(): [readFd: number, writeFd: number] {
  return native.pipe();
}

/** mkfifo(3): a named pipe at `path` that unrelated processes can open. */
export function mkfifo(path: string, mode = 0o600): void {
  native.mkfifo(path, mode);
}

/** open(2) on a FIFO, for reading ("r") or writing ("w"). Blocks until the other end is opened too. */
export function openFifo(path: string, mode: 'r' | 'w'): number {
  return native.openFifo(path, mode);
}

/** read(2): up to maxBytes; an empty array means end of file (every writer closed). */
export function read(fd: number, maxBytes = 65536): Uint8Array {
  return native.read(fd, maxBytes);
}

/** write(2): returns the bytes written. Throws code EPIPE once every reader has closed. */
export function write(fd: number, bytes: Uint8Array): number {
  return native.write(fd, bytes);
}

export function close(fd: number): void {
  native.close(fd);
}

/**
 * flock(2): an advisory lock on the whole file open at `fd` (from `fs.openSync`, for example).
 * It belongs to the open file, not to the process: closing the last descriptor of that open
 * file releases it, and so does the death of the process that held it. With `wait` false,
 * returns false instead of blocking when another open file holds a conflicting lock.
 */
export function flock(
  fd: number,
  operation: 'exclusive' | 'shared' | 'unlock',
  wait = true,
): boolean {
  return native.flock(fd, operation, wait);
}

export interface MessageQueueOptions {
  /** Create the queue if it does not exist (default false). */
  create?: boolean;
  /** With create: fail with EEXIST if it exists. */
  exclusive?: boolean;
  /** Capacity in messages (Linux default limit: 10, see /proc/sys/fs/mqueue/msg_max). */
  maxMessages?: number;
  /** Largest message in bytes (default limit 8192). */
  messageSize?: number;
}

/** A POSIX message queue (mq_overview(7)): receive takes the oldest message of the highest priority. */
export class MessageQueue {
  readonly name: string;
  #mqd: number | null;

  private constructor(name: string, mqd: number) {
    this.name = name;
    this.#mqd = mqd;
  }

  static open(name: string, options: MessageQueueOptions = {}): MessageQueue {
    const { create = false, exclusive = false, maxMessages = 10, messageSize = 8192 } = options;
    return new MessageQueue(name, native.mqOpen(name, create, exclusive, maxMessages, messageSize));
  }

  static unlink(name: string): void {
    native.mqUnlink(name);
  }

  #fd(): number {
    if (this.#mqd === null)
      throw Object.assign(new Error(`message queue ${this.name} is closed`), { code: 'ECLOSED' });
    return this.#mqd;
  }

  /** Blocks while the queue is full; false if timeoutMs passed first. */
  send(data: Uint8Array, priority = 0, timeoutMs = Infinity): boolean {
    return native.mqSend(this.#fd(), data, priority, timeoutMs);
  }

  /** Blocks while the queue is empty; undefined if timeoutMs passed first. */
  receive(timeoutMs = Infinity): { data: Uint8Array; priority: number } | undefined {
    return native.mqReceive(this.#fd(), timeoutMs);
  }

  get attributes(): { maxMessages: number; messageSize: number; currentMessages: number } {
    return native.mqAttributes(this.#fd());
  }

  close(): void {
    if (this.#mqd !== null) native.mqClose(this.#mqd);
    this.#mqd = null;
  }
}
