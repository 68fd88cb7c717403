/** The worker process's start-up errors: what an SRE sees when a worker cannot start. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerEnv } from '../helpers/harness';

describe('the worker process', () => {
  it('exits 2 naming WORKER_METRICS_ADDRESS when another process holds that port', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
        cwd: path.join(__dirname, '..', '..'),
        env: {
          ...process.env,
          ...workerEnv('http://127.0.0.1:9', '127.0.0.1:9', 'tq-metrics-port'),
          WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(worker, 'exit')) as [number | null];
      expect(code).toBe(2);
      expect(stderr).toContain(
        `invalid worker configuration:\n  WORKER_METRICS_ADDRESS: cannot serve /metrics on 127.0.0.1:${port} (Failed to start prometheus metrics exporter: Address already in use`,
      );
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      holder.close();
    }
  }, 60_000);
});
