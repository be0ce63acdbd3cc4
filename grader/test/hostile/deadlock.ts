// HOSTILE: every lock sleeps forever in the futex on a cell nobody notifies.
import { Segment } from '@ipc-course/shim';

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    this.segment.wait(this.byteOffset / 4, 0);
    return true;
  }
  lock(): boolean {
    return this.tryLock();
  }
  unlock(): void {}
  async lockAsync(): Promise<boolean> {
    return this.tryLock();
  }
}
