/**
 * The Dockerfile and the image check agree: the check (test/image/) carries out exactly the
 * steps it reads from the Dockerfile, so these tests pin what the image must be — Node 24,
 * production dependencies and the build only, non-root, commands on dist/ without tsx — and
 * that every command docker-compose.yml runs in the image is a file the build produces.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompose, ROOT } from '../image/compose';
import { DockerfileError, parseDockerfile, type Stage, type Step } from '../image/dockerfile';

const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build');
const steps = <K extends Step['kind']>(stage: Stage, kind: K) =>
  stage.steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
const buildInclude = (
  JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }
).include;

/** The source file `npm run build` compiles to `dist/<x>.js`, or undefined when it compiles none. */
function sourceOf(distFile: string): string | undefined {
  const m = /^dist\/(.+)\.js$/.exec(distFile);
  if (!m) return undefined;
  const source = `${m[1]!}.ts`;
  const top = source.split('/')[0]!;
  return buildInclude.includes(top) && existsSync(path.join(ROOT, source)) ? source : undefined;
}

describe('the Dockerfile', () => {
  it('uses only instructions the image check carries out, in a build and a runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
  });

  it('runs Node 24 on Debian (the SDK has no musl build) in both stages', () => {
    for (const s of stages) expect(s.image, s.name).toMatch(/^node:24\.\d+\.\d+-bookworm(-slim)?$/);
  });

  it('builds with the dev dependencies and npm run build', () => {
    const runs = steps(build!, 'RUN').map((r) => r.command);
    expect(runs).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toContain('tsc -p tsconfig.build.json');
    expect(pkg.scripts.build).toContain('node dist/worker/build-bundle.js');
  });

  it('copies every source folder the build compiles into the build stage', () => {
    const copied = steps(build!, 'COPY').flatMap((c) => c.sources);
    for (const dir of buildInclude) expect(copied, dir).toContain(dir);
  });

  it('compiles every top-level folder the built sources import from', () => {
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && !rel.endsWith('.test.ts')) {
          const text = readFileSync(path.join(ROOT, rel), 'utf8');
          for (const m of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
            const top = path.relative(ROOT, path.resolve(ROOT, dir, m[1]!)).split(path.sep)[0]!;
            imported.add(top);
          }
        }
      }
    };
    for (const dir of buildInclude) walk(dir);
    for (const top of imported) expect(buildInclude, `imported folder ${top}`).toContain(top);
  });

  it('ships production dependencies and dist/ only, as a non-root user', () => {
    expect(steps(runtime, 'ENV')).toContainEqual({ kind: 'ENV', name: 'NODE_ENV', value: 'production' });
    expect(steps(runtime, 'RUN').map((r) => r.command)).toEqual([
      'npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
    ]);
    const copies = steps(runtime, 'COPY');
    expect(copies.filter((c) => c.from === 'build')).toEqual([
      { kind: 'COPY', from: 'build', sources: ['/app/dist'], dest: './dist' },
    ]);
    const fromContext = copies.filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(fromContext.sort()).toEqual(['bin', 'package-lock.json', 'package.json']);
    const last = Math.max(...runtime.steps.map((s, i) => (s.kind === 'RUN' || s.kind === 'COPY' ? i : -1)));
    const user = runtime.steps.findIndex((s) => s.kind === 'USER' && s.user !== 'root');
    expect(user).toBeGreaterThan(last);
  });

  it('starts the built worker, without tsx', () => {
    expect(steps(runtime, 'CMD').at(-1)?.argv).toEqual(['node', 'dist/worker/main.js']);
    expect(sourceOf('dist/worker/main.js')).toBe('worker/main.ts');
  });

  it('is read by a parser that refuses what it cannot carry out', () => {
    expect(() => parseDockerfile('FROM node:24 AS a\nADD https://example.com/x /x\n')).toThrow(
      DockerfileError,
    );
    expect(() => parseDockerfile('FROM node:24\nRUN true\n')).toThrow(/name every stage/);
    expect(() => parseDockerfile('FROM node:24 AS a\nCMD node x.js\n')).toThrow(/exec \(JSON array\) form/);
  });
});

describe("docker-compose.yml's commands in the image", () => {
  const compose = readCompose();
  const ours = Object.entries(compose.services).filter(([, s]) => s.image === 'agora-capture:local');

  it('run files the build produces, with node and no tsx', () => {
    expect(ours.map(([n]) => n).sort()).toEqual(['emulator', 'receiver', 'temporal-setup', 'worker']);
    for (const [name, s] of ours) {
      const argv = s.command ?? steps(runtime, 'CMD').at(-1)!.argv;
      expect(argv[0], name).toBe('node');
      expect(argv.join(' '), name).not.toContain('tsx');
      expect(sourceOf(argv[1]!), `${name}: ${argv[1]}`).toBeDefined();
    }
  });
});
