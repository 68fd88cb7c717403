/**
 * bubblewrap (`bwrap`) as a stand-in for a container: a process sees an image-like filesystem —
 * the host's /usr and /etc read-only, Node 24 at /usr/local/bin as in the official node image,
 * the image's folder bound at /app — runs as the image's user in its own user and pid
 * namespaces, and shares the host's network (so it reaches servers on 127.0.0.1).
 */
import { mkdirSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** Where the Node 24 wheel is mounted inside the sandbox. */
const NODE_MOUNT = '/opt/nodejs';

/** A host folder bound into the sandbox. */
export interface Bind {
  src: string;
  dest: string;
  writable?: boolean;
}

/** What a sandboxed process gets. */
export interface SandboxSpec {
  /** Folder holding Node 24's `node` (scripts/ensure-node24.sh prints it). */
  node24Bin: string;
  /** Folder for the sandbox's /usr/local/bin links (made once per check). */
  toolsDir: string;
  uid: number;
  binds: Bind[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * The Node 24 distribution's root (bin/node, lib/node_modules/npm) behind the printed folder's
 * `node` link.
 */
export function node24Root(node24Bin: string): string {
  return path.dirname(path.dirname(realpathSync(path.join(node24Bin, 'node'))));
}

/** Links node, npm and npx in `toolsDir` to their places inside the sandbox. */
export function makeTools(toolsDir: string): void {
  mkdirSync(toolsDir, { recursive: true });
  const links: Record<string, string> = {
    node: `${NODE_MOUNT}/bin/node`,
    npm: `${NODE_MOUNT}/lib/node_modules/npm/bin/npm-cli.js`,
    npx: `${NODE_MOUNT}/lib/node_modules/npm/bin/npx-cli.js`,
  };
  for (const [name, target] of Object.entries(links)) {
    const at = path.join(toolsDir, name);
    let current: string | undefined;
    try {
      current = readlinkSync(at);
    } catch {
      current = undefined;
    }
    if (current !== target) symlinkSync(target, at);
  }
}

/** The image's PATH (the official node image's). */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `bwrap` arguments that run `argv` as `spec` says. */
export function bwrapArgs(spec: SandboxSpec, argv: string[]): string[] {
  const args = [
    '--unshare-user',
    '--uid',
    String(spec.uid),
    '--gid',
    String(spec.uid),
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    '--ro-bind',
    '/usr',
    '/usr',
    '--ro-bind',
    '/etc',
    '/etc',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--ro-bind',
    node24Root(spec.node24Bin),
    NODE_MOUNT,
    '--ro-bind',
    spec.toolsDir,
    '/usr/local/bin',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
  ];
  for (const b of spec.binds) args.push(b.writable ? '--bind' : '--ro-bind', b.src, b.dest);
  args.push('--chdir', spec.cwd, '--clearenv');
  for (const [k, v] of Object.entries(spec.env)) args.push('--setenv', k, v);
  args.push('--', ...argv);
  return args;
}
