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
