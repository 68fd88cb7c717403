/**
 * Reads the Dockerfile into stages and steps, so the image check (scripts/image-check.sh) carries
 * out the Dockerfile's own steps instead of a copy of them that could drift. Only the
 * instructions the project's Dockerfile uses are understood; anything else is an error, so a new
 * instruction fails the check until the check can carry it out.
 */

/** One instruction the check can carry out. */
export type Step =
  | { kind: 'WORKDIR'; dir: string }
  | { kind: 'ENV'; name: string; value: string }
  | { kind: 'COPY'; from?: string; sources: string[]; dest: string }
  | { kind: 'RUN'; command: string }
  | { kind: 'USER'; user: string }
  | { kind: 'CMD'; argv: string[] };

/** One `FROM image AS name` and the steps after it. */
export interface Stage {
  name: string;
  image: string;
  steps: Step[];
}

/** A Dockerfile line the check cannot carry out. */
export class DockerfileError extends Error {
  override name = 'DockerfileError';
}

/** Joins `\` continuations and drops comments and blank lines; each item is one instruction. */
function instructions(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push((current + line).trim());
    current = '';
  }
  if (current !== '') out.push(current.trim());
  return out;
}

function step(keyword: string, rest: string, where: string): Step {
  switch (keyword) {
    case 'WORKDIR':
      return { kind: 'WORKDIR', dir: rest };
    case 'ENV': {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(rest);
      if (!m) throw new DockerfileError(`${where}: ENV must be one NAME=value without spaces`);
      return { kind: 'ENV', name: m[1]!, value: m[2]! };
    }
    case 'COPY': {
      const words = rest.split(/\s+/);
      let from: string | undefined;
      while (words[0]?.startsWith('--')) {
        const flag = words.shift()!;
        const m = /^--from=(\S+)$/.exec(flag);
        if (!m) throw new DockerfileError(`${where}: COPY flag ${flag} is not supported`);
        from = m[1];
      }
      if (words.length < 2) throw new DockerfileError(`${where}: COPY needs sources and a destination`);
      const dest = words.pop()!;
      return { kind: 'COPY', ...(from ? { from } : {}), sources: words, dest };
    }
    case 'RUN':
      return { kind: 'RUN', command: rest };
    case 'USER':
      return { kind: 'USER', user: rest };
    case 'CMD': {
      let argv: unknown;
      try {
        argv = JSON.parse(rest);
      } catch {
        throw new DockerfileError(`${where}: CMD must be the exec (JSON array) form`);
      }
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string'))
        throw new DockerfileError(`${where}: CMD must be a JSON array of strings`);
      return { kind: 'CMD', argv };
    }
    default:
      throw new DockerfileError(`${where}: ${keyword} is not supported by the image check`);
  }
}

/** Parses a Dockerfile; every stage must be named (`FROM image AS name`). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    const m = /^(\S+)\s+([^]*)$/.exec(ins);
    if (!m) throw new DockerfileError(`cannot read "${ins}"`);
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (keyword === 'FROM') {
      const f = /^(\S+)\s+AS\s+(\S+)$/i.exec(rest);
      if (!f) throw new DockerfileError(`FROM ${rest}: name every stage (FROM image AS name)`);
      stages.push({ image: f[1]!, name: f[2]!, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new DockerfileError(`${keyword} before the first FROM`);
    stage.steps.push(step(keyword, rest, `stage ${stage.name}: ${keyword}`));
  }
  return stages;
}
