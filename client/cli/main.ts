/**
 * Entry point of the operator CLI (`agora-capture`, `npm run cli --`). Loads `.env` first so
 * the CLI talks to the same server and task queue as the worker started from that file.
 */
import { loadDotEnvIfPresent } from './env';
import { runCli } from './run';

loadDotEnvIfPresent();
runCli(process.argv.slice(2)).then(
  (code) => {
    // Set the code and let pending writes flush instead of cutting stdout short with exit().
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`agora-capture: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
