// Names what failed in each CI tier, read from the tiers' vitest JSON reports, so the end of
// `.ci/run`'s output (often all that is kept of it) says which test broke and why.
// Usage: node scripts/ci-failures.mjs TIER=REPORT.json ...
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const MESSAGE_LINES = 6;

/** The first lines of a failure message, indented, without ANSI colours. */
function excerpt(message) {
  return (
    String(message ?? '')
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      // The test's own frames tell where; the runner's frames say nothing.
      .filter((line) => line.trim() !== '' && !line.includes('node_modules/'))
      .slice(0, MESSAGE_LINES)
      .map((line) => `    ${line}`)
      .join('\n')
  );
}

for (const arg of process.argv.slice(2)) {
  const [tier, path] = arg.split('=');
  if (!path || !existsSync(path)) continue;
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    console.log(`[${tier}] report ${path} is not readable JSON`);
    continue;
  }
  const files = report.testResults ?? [];
  // vitest fails a run on an error thrown outside every test and file (an unhandled rejection).
  if (report.success === false && !files.some((f) => f.status === 'failed')) {
    console.log(`[${tier}] FAILED outside every test file: an unhandled error (see the log)`);
  }
  for (const file of files) {
    const name = relative(process.cwd(), file.name);
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const test of failedTests) {
      console.log(`[${tier}] FAILED ${name} > ${test.fullName}`);
      console.log(excerpt((test.failureMessages ?? []).join('\n')));
    }
    // A file can fail with no failed test: a hook that timed out, a file that does not load.
    if (file.status === 'failed' && failedTests.length === 0) {
      console.log(`[${tier}] FAILED ${name} (outside any test: a hook or the file itself; see the log)`);
      if (file.message) console.log(excerpt(file.message));
    }
  }
}
