// The kernel's IPC doors the lessons use: pipes, FIFOs, POSIX message queues, flock.
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MessageQueue,
  close,
  flock,
  getpid,
  mkfifo,
  openFifo,
  pipe,
  read,
  threadId,
  write,
  yieldThread,
} from '@ipc-course/shim';
import { uniqueSegmentName } from '../../grader/harness/segment-names.ts';
import { runChild } from './child.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('pipe', () => {
  it('carries bytes in order, then end of file once the writer closes', () => {
    const [readFd, writeFd] = pipe();
    expect(write(writeFd, bytes('hello '))).toBe(6);
    expect(write(writeFd, bytes('pipe'))).toBe(4);
    close(writeFd);
    expect(text(read(readFd, 100))).toBe('hello pipe');
    expect(read(readFd, 100).length).toBe(0);
    close(readFd);
  });

  it('refuses a write with EPIPE once every reader has closed', () => {
    const [readFd, writeFd] = pipe();
    close(readFd);
    expect(() => write(writeFd, bytes('x'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    close(writeFd);
  });
});

describe('mkfifo', () => {
  it('makes a named pipe that a second opener reaches by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-fifo-'));
    try {
      const path = join(dir, 'fifo');
      mkfifo(path);
      expect(() => mkfifo(path)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      // Opening one end of a FIFO blocks until the other end is open too, so
      // the writer must be another process: here, a shell.
      const { spawn } = await import('node:child_process');
      const writer = spawn('sh', ['-c', `printf 'through the fifo' > "${path}"`]);
      const readFd = openFifo(path, 'r');
      let received = '';
      for (let chunk = read(readFd, 64); chunk.length > 0; chunk = read(readFd, 64))
        received += text(chunk);
      close(readFd);
      expect(received).toBe('through the fifo');
      await new Promise((resolve) => writer.on('exit', resolve));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('POSIX message queue', () => {
  it('delivers the oldest message of the highest priority first', () => {
    const name = uniqueSegmentName('mq');
    const queue = MessageQueue.open(name, {
      create: true,
      exclusive: true,
      maxMessages: 4,
      messageSize: 64,
    });
    try {
      queue.send(bytes('low-1'), 1);
      queue.send(bytes('high'), 5);
      queue.send(bytes('low-2'), 1);
      expect(queue.attributes).toEqual({ maxMessages: 4, messageSize: 64, currentMessages: 3 });
      const order = [queue.receive(0), queue.receive(0), queue.receive(0)].map(
        (m) => `${text(m!.data)}@${m!.priority}`,
      );
      expect(order).toEqual(['high@5', 'low-1@1', 'low-2@1']);
      expect(queue.receive(0)).toBeUndefined();
    } finally {
      queue.close();
      MessageQueue.unlink(name);
    }
  });

  it('times out a send on a full queue and refuses an oversize message with EMSGSIZE', () => {
    const name = uniqueSegmentName('mq-full');
    const queue = MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 8 });
    try {
      expect(queue.send(bytes('one'))).toBe(true);
      expect(queue.send(bytes('two'), 0, 20)).toBe(false);
      expect(() => queue.send(bytes('far too long'), 0, 0)).toThrow(
        expect.objectContaining({ code: 'EMSGSIZE' }),
      );
      queue.close();
      expect(() => queue.receive(0)).toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    } finally {
      queue.close();
      MessageQueue.unlink(name);
    }
  });
});

describe('flock', () => {
  it('excludes a second open file, shares a shared lock, and lets go on unlock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-flock-'));
    const path = join(dir, 'lock');
    const [a, b] = [openSync(path, 'a'), openSync(path, 'a')]; // two open files: two lock holders
    try {
      expect(flock(a, 'exclusive')).toBe(true);
      expect(flock(b, 'exclusive', false)).toBe(false);
      expect(flock(b, 'shared', false)).toBe(false);
      expect(flock(a, 'unlock')).toBe(true);
      expect(flock(a, 'shared', false)).toBe(true);
      expect(flock(b, 'shared', false)).toBe(true);
      expect(flock(b, 'exclusive', false)).toBe(false);
      expect(() => flock(a, 'both' as 'shared')).toThrow(
        expect.objectContaining({ code: 'EINVAL' }),
      );
      expect(() => flock(1_000_000, 'shared')).toThrow(expect.objectContaining({ code: 'EBADF' }));
    } finally {
      closeSync(a);
      closeSync(b);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is released when the process that holds it dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-flock-'));
    const path = join(dir, 'lock');
    const fd = openSync(path, 'a');
    const { child, done } = runChild('child-flock-holder.ts', [path]);
    try {
      await once(child.stdout!, 'data'); // "locked"
      expect(flock(fd, 'exclusive', false)).toBe(false);
      child.kill('SIGKILL');
      await done;
      expect(flock(fd, 'exclusive', false)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('process and thread ids', () => {
  it('match Node’s view of them', () => {
    expect(getpid()).toBe(process.pid);
    expect(threadId()).toBeGreaterThan(0);
    expect(() => yieldThread()).not.toThrow();
  });
});
