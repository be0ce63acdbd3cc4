// A child process for lessons/15-signals.md: counts SIGUSR2 deliveries; on
// SIGINT (Ctrl-C) prints the count, cleans up and exits.
let count = 0;
process.on('SIGUSR2', () => count++); // runs on the event loop, once per delivery
process.on('SIGINT', () => {
  console.log(`SIGINT: handler ran ${count} times for SIGUSR2; cleaning up`);
  process.exit(0);
});
setInterval(() => {}, 1000); // keeps the event loop, and the process, alive
console.log('ready');
