/**
 * Carries out a parsed Dockerfile in a scratch folder: each stage gets a folder standing for its
 * filesystem, COPY copies from the build context (minus .dockerignore) or from an earlier stage,
 * RUN runs in the sandbox as the stage's current user with Node 24, ENV/USER/CMD are recorded
 * for the runtime. The last stage is the image.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Stage } from './dockerfile';
import { bwrapArgs, IMAGE_PATH } from './sandbox';

/** The image: where its WORKDIR is on the host, and how it runs. */
export interface BuiltImage {
  /** Host folder holding the image's WORKDIR contents (bound at {@link workdir} to run). */
  appDir: string;
  workdir: string;
  env: Record<string, string>;
  /** uid of the image's USER. */
  uid: number;
  cmd: string[];
}

export interface BuildOptions {
  stages: Stage[];
  /** The build context (the repository root). */
  context: string;
  scratch: string;
  node24Bin: string;
  toolsDir: string;
  /** npm's cache for the RUN steps (the stages share it, so the second `npm ci` downloads nothing new). */
  npmCache: string;
  log: (line: string) => void;
}

/**
 * The host's network settings a RUN step needs to reach the npm registry — a TLS-intercepting
 * proxy's CA, proxies — as `docker build` on this host would be given them (build args, the
 * daemon's proxy settings). Only these names pass; the rest of the host's environment does not.
 */
const NETWORK_ENV = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];
const networkEnv = (): Record<string, string> =>
  Object.fromEntries(NETWORK_ENV.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])));

/** Users the check knows: root and the node image's `node` (uid 1000). */
const USERS: Record<string, number> = { root: 0, node: 1000 };

/** Top-level names .dockerignore leaves out of the context (its plain-name lines). */
function ignoredNames(context: string): Set<string> {
  const file = path.join(context, '.dockerignore');
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim().replace(/^\/+|\/+$/g, ''))
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

function run(argv: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bwrap', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-8000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      log(tail);
      reject(new Error(`exited with ${code ?? signal}:\n${tail}`));
    });
  });
}

/** Runs every stage in order; resolves to the last stage as an image. */
export async function buildImage(o: BuildOptions): Promise<BuiltImage> {
  const ignored = ignoredNames(o.context);
  const roots = new Map<string, string>();
  let image: BuiltImage | undefined;
  for (const stage of o.stages) {
    const root = path.join(o.scratch, 'stages', stage.name);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    let workdir = '/';
    let uid = 0;
    const env: Record<string, string> = { PATH: IMAGE_PATH };
    let cmd: string[] = [];
    const onHost = (p: string) => path.join(root, path.posix.resolve(workdir, p));
    for (const step of stage.steps) {
      switch (step.kind) {
        case 'WORKDIR':
          workdir = path.posix.resolve(workdir, step.dir);
          mkdirSync(onHost('.'), { recursive: true });
          break;
        case 'ENV':
          env[step.name] = step.value;
          break;
        case 'USER': {
          const known = USERS[step.user];
          if (known === undefined) throw new Error(`stage ${stage.name}: USER ${step.user} is not known`);
          uid = known;
          break;
        }
        case 'CMD':
          cmd = step.argv;
          break;
        case 'COPY': {
          const fromRoot = step.from === undefined ? undefined : roots.get(step.from);
          if (step.from !== undefined && fromRoot === undefined)
            throw new Error(`stage ${stage.name}: COPY --from=${step.from}: no such earlier stage`);
          const dest = onHost(step.dest);
          const intoDir = step.dest.endsWith('/') || step.sources.length > 1;
          for (const source of step.sources) {
            const src = fromRoot ? path.join(fromRoot, source) : path.join(o.context, source);
            if (!fromRoot && ignored.has(source.split('/')[0] ?? ''))
              throw new Error(`COPY ${source}: excluded by .dockerignore`);
            const target =
              statSync(src).isDirectory() || !intoDir ? dest : path.join(dest, path.basename(src));
            mkdirSync(path.dirname(target), { recursive: true });
            cpSync(src, target, {
              recursive: true,
              // The context without .dockerignore's names (node_modules, dist, ...) anywhere inside.
              filter: fromRoot ? undefined : (p) => !ignored.has(path.basename(p)) || p === src,
            });
          }
          o.log(
            `${stage.name}: COPY ${step.from ? `--from=${step.from} ` : ''}${step.sources.join(' ')} ${step.dest}`,
          );
          break;
        }
        case 'RUN': {
          o.log(`${stage.name}: RUN ${step.command}`);
          const started = Date.now();
          const args = bwrapArgs(
            {
              node24Bin: o.node24Bin,
              toolsDir: o.toolsDir,
              uid,
              binds: [
                { src: onHost('.'), dest: workdir, writable: true },
                { src: o.npmCache, dest: '/npm-cache', writable: true },
              ],
              // HOME on the sandbox's tmpfs; npm's cache shared by the stages.
              env: {
                ...networkEnv(),
                ...env,
                HOME: '/tmp',
                npm_config_cache: '/npm-cache',
                npm_config_update_notifier: 'false',
              },
              cwd: workdir,
            },
            ['/bin/sh', '-c', step.command],
          );
          await run(args, o.log);
          o.log(`${stage.name}: RUN done in ${Math.round((Date.now() - started) / 1000)} s`);
          break;
        }
      }
    }
    image = { appDir: onHost('.'), workdir, env, uid, cmd };
  }
  if (!image) throw new Error('the Dockerfile has no stage');
  return image;
}
