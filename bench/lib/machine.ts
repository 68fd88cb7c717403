/** What the figures were measured on: they mean little without it. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { createRequire } from 'node:module';

export function machineInfo(temporalCli: string) {
  const req = createRequire(__filename);
  let server = 'unknown';
  try {
    server = execFileSync(temporalCli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    /* keep unknown */
  }
  // Which product code was measured: the bundle is built from the working tree, so say if
  // it had uncommitted changes (bench/ itself excluded).
  const git = (a: string[]) => {
    try {
      // trimEnd: porcelain lines start with a space (" M file"); trimming it cut the path's first letter.
      return execFileSync('git', a, { encoding: 'utf8' }).trimEnd();
    } catch {
      return '';
    }
  };
  const dirty = git(['status', '--porcelain', '--', '.', ':!bench'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return {
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedProductFiles: dirty,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    sdk: (req('@temporalio/worker/package.json') as { version: string }).version,
    temporal: server,
  };
}
