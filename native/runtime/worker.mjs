// Entry of every worker thread started by startWorker(): Node 20 cannot start a
// worker on a .ts file, even with --import tsx in execArgv, so we register the
// loaders here and then import the real entry, passed as the last argv item.
import './register.mjs';

const entry = process.argv.pop();
await import(entry);
