/**
 * Entry point of the operator CLI (`agora-capture`, `npm run cli --`). Loads `.env` first so
 * the CLI talks to the same server and task queue as the worker started from that file.
 */
import { loadDotEnvIfPresent } from './env';
import { runCli } from './run';

loadDotEnvIfPresent();
// The AWS SDK warns on Node < 22 that its releases after January 2027 will need Node 22; the
// SDK version here is pinned, so on Node 20 the warning is noise in every storage command's
// output (the README says which Node versions are supported and tested).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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
