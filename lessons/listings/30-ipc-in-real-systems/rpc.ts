// A tiny RPC over a Unix socket (lessons/30-ipc-in-real-systems.md): a client
// stub that marshals a call into a JSON line with a call id and returns a
// promise of the reply; a server stub that unmarshals, calls, and answers;
// a timeout with a retry under the same id; and a server that remembers the
// answers it gave, so that a retried call runs at most once.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startProcess } from '@ipc-course/shim';

interface Request {
  id: number;
  method: string;
  args: number[];
}
interface Reply {
  id: number;
  result: number;
}

/** Calls each JSON line of `socket` with `handle`: a newline ends each message. */
function onLines(socket: net.Socket, handle: (message: unknown) => void): void {
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      handle(JSON.parse(buffered.slice(0, end)));
      buffered = buffered.slice(end + 1);
    }
  });
}

if (process.argv[2] === 'server') {
  let balance = 0;
  let executed = 0;
  const procedures: Record<string, (...args: number[]) => number> = {
    add: (a, b) => a + b,
    slowSquare: (a) => a * a,
    deposit: (amount) => {
      executed++;
      return (balance += amount);
    },
    depositsExecuted: () => executed,
  };
  const answered = new Map<number, Reply>(); // call id → the reply given: at-most-once
  let replyToDrop = 4; // the network loses the first reply to call 4, the deposit
  const server = net.createServer((socket) =>
    onLines(socket, (message) => {
      const { id, method, args } = message as Request;
      let reply = answered.get(id);
      if (!reply) {
        reply = { id, result: procedures[method](...args) }; // the server stub: unmarshal and call
        answered.set(id, reply);
      }
      if (id === replyToDrop)
        replyToDrop = 0; // lost on the way back
      else
        setTimeout(
          () => socket.write(`${JSON.stringify(reply)}\n`),
          method === 'slowSquare' ? 30 : 0,
        );
    }),
  );
  server.listen(process.argv[3], () => process.send!('listening'));
  process.on('disconnect', () => server.close());
} else {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipcc-'));
  const address = path.join(dir, 'rpc.sock');
  const server = startProcess(import.meta.url, ['server', address], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await once(server, 'message');
    const socket = net.connect(address);
    await once(socket, 'connect');
    const pending = new Map<number, (result: number) => void>(); // call id → who waits for it
    onLines(socket, (message) => {
      const { id, result } = message as Reply;
      pending.get(id)?.(result); // a reply to a call already answered finds nobody
      pending.delete(id);
    });
    let nextId = 1;
    // The client stub: marshal, send, and return a promise; resend under the same id on a timeout.
    const call = (method: string, ...args: number[]): Promise<number> => {
      const id = nextId++;
      const request = `${JSON.stringify({ id, method, args })}\n`;
      return new Promise((resolve, reject) => {
        let tries = 0;
        const send = () => {
          if (++tries > 3) return reject(new Error(`${method}: no reply after 3 tries`));
          socket.write(request);
          const timer = setTimeout(send, 1000);
          pending.set(id, (result) => {
            clearTimeout(timer);
            if (tries > 1) console.log(`call ${id} (${method}): no reply in 1 s, resent, answered`);
            resolve(result);
          });
        };
        send();
      });
    };
    console.log(`add(2, 3) = ${await call('add', 2, 3)}`);
    const square = call('slowSquare', 7); // a future: the call is in flight ...
    const sum = call('add', 40, 2); // ... while another one goes out
    console.log(`two calls in flight: add(40, 2) = ${await sum}, slowSquare(7) = ${await square}`);
    console.log(`deposit(10) → balance ${await call('deposit', 10)}`); // call 4: its first reply is lost
    console.log(`deposits executed by the server: ${await call('depositsExecuted')}`);
    socket.end();
  } finally {
    server.disconnect();
    await once(server, 'exit');
    rmSync(dir, { recursive: true });
  }
}
