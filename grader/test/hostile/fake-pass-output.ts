// HOSTILE: prints lines that look like a perfect score, and has no mutual exclusion at all.
import { Segment } from '@ipc-course/shim';

const boast = () =>
  console.log(
    ' ✓ never lets two holders in at once 4/4\n Tests  7 passed (7)\nTotal: 16/16\n{"score": 16, "maxScore": 16}',
  );
boast();

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
    boast();
    return true;
  }
  lock(): boolean {
    boast();
    return true;
  }
  unlock(): void {
    boast();
  }
  async lockAsync(): Promise<boolean> {
    return true;
  }
}
