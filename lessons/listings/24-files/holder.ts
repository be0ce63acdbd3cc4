// A lock holder of lessons/24-files.md that dies holding its locks: it takes
// an flock on argv[2] and creates the lock file argv[3] with its pid in it,
// tells its parent, then waits to be killed.
import { openSync, writeFileSync } from 'node:fs';
import { flock } from '@ipc-course/shim';

const [lockedFile, lockFile] = process.argv.slice(2);
flock(openSync(lockedFile, 'a'), 'exclusive'); // released by the kernel when this process dies
writeFileSync(lockFile, String(process.pid), { flag: 'wx' }); // O_CREAT | O_EXCL: stays when this process dies
process.send!('holding');
setTimeout(() => {}, 20_000);
