// Child process for the visible tests: `owner` opens a port and waits to be killed;
// `client` sends the messages given as JSON (arrays of bytes) to a pid, then exits.
//   node ... port-process.ts <segment> owner
//   node ... port-process.ts <segment> client <pid> '[[1],[2]]'
import { Segment, getpid } from '@ipc-course/shim';
import { PortRegistry } from './ports.ts';

// Keep in sync with ports.test.ts: cell 0 is where the child writes its pid; the registry starts at byte 64.
const CHILD_PID = 0;
const REGISTRY_OFFSET = 64;

const [name, role, target, messages] = process.argv.slice(2);
const segment = Segment.open(name);
const registry = new PortRegistry(segment, REGISTRY_OFFSET);
if (role === 'owner') {
  registry.open();
  segment.store(CHILD_PID, getpid());
  segment.notify(CHILD_PID);
  setTimeout(() => process.exit(0), 20_000); // the test kills it long before
} else {
  for (const bytes of JSON.parse(messages) as number[][])
    registry.send(Number(target), new Uint8Array(bytes), 5000);
  segment.close();
}
