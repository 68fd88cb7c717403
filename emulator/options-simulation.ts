/**
 * Defaults and checks of the simulation options (bucket, callbacks, timeScale, publishers),
 * kept apart from the REST options they extend.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorOptions, ResolvedOptions } from './options';

/** Default resend delays: growing, as NCS's are (exact intervals are unconfirmed). */
export const DEFAULT_RESEND_DELAYS_MS: readonly number[] = [1000, 2000, 4000];

/** The simulation part of the resolved options. */
export type SimulationOptions = Pick<
  ResolvedOptions,
  | 'bucketDir'
  | 's3Endpoint'
  | 'callback'
  | 'resendDelaysMs'
  | 'callbackTimeoutMs'
  | 'timeScale'
  | 'autoPublishers'
  | 'simulateChannels'
  | 'stopLeaveCode'
>;

/** Applies the simulation defaults; throws on nonsense (a misconfigured emulator should fail loudly). */
export function resolveSimulation(opts: EmulatorOptions): SimulationOptions {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new Error('emulator option timeScale must be > 0');
  const resendDelaysMs = opts.resendDelaysMs ?? DEFAULT_RESEND_DELAYS_MS;
  if (resendDelaysMs.some((d) => !(d >= 0))) throw new Error('emulator option resendDelaysMs must be ≥ 0');
  if (opts.s3Endpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(opts.s3Endpoint))
    throw new Error('emulator option s3Endpoint must be an http(s) origin such as http://127.0.0.1:9000');
  if (opts.callback) {
    const { url, secret } = opts.callback;
    if (!/^https?:\/\//.test(url)) throw new Error('emulator option callback.url must be an http(s) URL');
    if (!secret) throw new Error('emulator option callback.secret is required');
  }
  return {
    bucketDir: opts.bucketDir ?? join(tmpdir(), `agora-emulator-${randomBytes(6).toString('hex')}`),
    ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint.replace(/\/$/, '') } : {}),
    callback: opts.callback,
    resendDelaysMs: [...resendDelaysMs],
    callbackTimeoutMs: opts.callbackTimeoutMs ?? 10_000,
    timeScale,
    autoPublishers: [...(opts.autoPublishers ?? [])],
    simulateChannels:
      opts.simulateChannels ?? (opts.callback !== undefined || opts.autoPublishers !== undefined),
    stopLeaveCode: opts.stopLeaveCode ?? 16,
  };
}
