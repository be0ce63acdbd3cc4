// HOSTILE: calls process.exit in unlock, as if to end the test run "successfully".
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
    return this.segment.compareExchange(this.byteOffset / 4, 0, 1) === 0;
  }
  lock(): boolean {
    return this.tryLock();
  }
  unlock(): void {
    process.exit(0);
  }
  async lockAsync(): Promise<boolean> {
    return this.tryLock();
  }
}
