'use strict';
/**
 * Runs Verdaccio in a child process for the tests (test/helpers/verdaccio.ts): the config file named by argv[2], on
 * 127.0.0.1 and a port the kernel picks, printed as `listening PORT` on stdout. It ends when its stdin closes, so a
 * test process that dies (a crash, a kill -9 of vitest) takes its registry with it instead of leaving it running.
 */
const { runServer } = require('verdaccio');

async function main() {
  const config = process.argv[2];
  if (!config) throw new Error('usage: verdaccio-server.cjs CONFIG.yaml');
  const server = await runServer(config);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`verdaccio did not start: ${error.stack ?? error}\n`);
  process.exit(1);
});
