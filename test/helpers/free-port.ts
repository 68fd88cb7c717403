import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1 at or below `max`, for servers that cannot take an ephemeral
 * one (Temporal stores membership ports in a PostgreSQL smallint: at most 32767).
 */
export async function freePortAtMost(max: number, min = 10_000): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port in [${min}, ${max}] after 200 tries`);
}

/** Whether a TCP port on 127.0.0.1 is free right now (bound and released at once). */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port on 127.0.0.1 that nothing listens on, for an endpoint a test needs closed for a long
 * while (a bucket server that is down). It lies below the kernel's ephemeral range, which is
 * where every `listen(0)` and every outgoing connection gets its port: a port from `freePort()`
 * can be handed to the next server the test starts, and then the "down" endpoint answers.
 */
export async function closedPort(): Promise<number> {
  let ephemeralLow = 32768;
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    if (Number(low) > 11_000) ephemeralLow = Number(low);
  } catch {
    // Not Linux: Linux's default lower bound (BSDs and macOS start theirs higher, at 49152).
  }
  return freePortAtMost(ephemeralLow - 1);
}
