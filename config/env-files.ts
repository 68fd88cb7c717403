/**
 * `NAME_FILE` variables: a secret's value read from a file (a compose/Kubernetes secret mounted
 * at e.g. /run/secrets/agora-customer-secret) instead of sitting in the environment, where
 * `docker inspect`, /proc/PID/environ and crash reports can show it. Shared by the worker, the
 * receiver and the emulator so all three read secrets the same way.
 */
import { readFileSync } from 'node:fs';

/** A `NAME_FILE` that cannot be used; the message names the variable and the path, never a value. */
export class EnvFileError extends Error {
  override name = 'EnvFileError';
}

/**
 * Returns a copy of `env` in which every `NAME` of `names` whose `NAME_FILE` is set holds that
 * file's content (one trailing newline dropped, as `echo secret > file` writes one). An empty
 * file gives an empty value, which the caller's schema judges like an empty variable (an optional
 * App Certificate: none; a required secret: "is required"). Setting both `NAME` and `NAME_FILE` is
 * refused: which one wins would be a guess.
 */
export function resolveEnvFiles(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`  ${name}_FILE: set ${name} or ${name}_FILE, not both`);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`  ${name}_FILE: cannot read ${file} (${code})`);
      continue;
    }
    out[name] = text.replace(/\r?\n$/, '');
  }
  if (problems.length > 0) throw new EnvFileError(problems.join('\n'));
  return out;
}
