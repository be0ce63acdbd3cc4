// HOSTILE: tryLock never returns and never yields; everything else is a plausible mutex.
import { Segment } from '@ipc-course/shim';

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    segment.store(byteOffset / 4, 0);
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    for (;;) {
      // spin without end
    }
  }
  lock(): boolean {
    while (this.segment.compareExchange(this.byteOffset / 4, 0, 1) !== 0)
      this.segment.wait(this.byteOffset / 4, 1, 5);
    return true;
  }
  unlock(): void {
    this.segment.store(this.byteOffset / 4, 0);
    this.segment.notify(this.byteOffset / 4, 1);
  }
  async lockAsync(): Promise<boolean> {
    while (this.segment.compareExchange(this.byteOffset / 4, 0, 1) !== 0)
      await this.segment.waitAsync(this.byteOffset / 4, 1, 5);
    return true;
  }
}
