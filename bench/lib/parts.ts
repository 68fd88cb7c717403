/**
 * The Agora emulator, the callback receiver and the customer's S3 storage as processes of their
 * own (as they run in production: none shares a process with a worker or with the load
 * generator). The bench reads the emulator's request log and ledger through its admin API and
 * the receiver's counters through its /metrics.
 */
import { request } from 'undici';
import type { LedgerEntry, RequestRecord } from '../../emulator';
import { APP_ID, CUSTOMER_ID, SECRETS, TEST_BUCKET } from '../../test/helpers/fixtures';
import { startMotoServer } from '../../test/helpers/moto-server';
import { NCS_SECRET } from '../../test/helpers/ncs';
import { s3StorageProfile } from '../../test/helpers/s3';
import { type Child, spawnChild } from './child';
import { track } from './children';
import { startSeaweedServer } from './seaweedfs';

export interface EmulatorPart {
  url: string;
  pid: number;
  requests(): Promise<RequestRecord[]>;
  ledger(): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url);
  if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode}`);
  return (await res.body.json()) as T;
}

/** No QPS limit and room for capacity's sessions: the bench measures the product, not Agora's quotas. */
export async function startEmulatorPart(extraEnv: Record<string, string> = {}): Promise<EmulatorPart> {
  const c: Child = await spawnChild(
    'emulator/main.ts',
    ['--port', '0', '--qps', '0', '--max-tasks', '100000'],
    {
      AGORA_APP_ID: APP_ID,
      AGORA_CUSTOMER_ID: CUSTOMER_ID,
      AGORA_CUSTOMER_SECRET: SECRETS.customerSecret,
      AGORA_APP_CERTIFICATE: SECRETS.appCertificate,
      ...extraEnv,
    },
    /agora emulator listening on (\S+)/,
  );
  const url = c.ready[1]!;
  return {
    url,
    pid: c.pid,
    requests: () => getJson(`${url}/__emulator/requests`),
    ledger: () => getJson(`${url}/__emulator/ledger`),
    close: () => c.stop(),
  };
}

export interface ReceiverPart {
  /** Base URL; callbacks go to `${url}${NCS_PATH}` (httpSend adds it). */
  url: string;
  pid: number;
  /** Events signalled so far by signal name, and signal RPCs as `<name>Rpcs` (from its Prometheus counters). */
  signalled(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startReceiverPart(
  temporalAddress: string,
  extraEnv: Record<string, string> = {},
): Promise<ReceiverPart> {
  const c = await spawnChild(
    'client/receiver/main.ts',
    [],
    {
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      AGORA_NCS_SECRETS: NCS_SECRET,
      RECEIVER_PORT: '0',
      RECEIVER_ADMIN_PORT: '0',
      ...extraEnv,
    },
    /listening on (http:\/\/[^/\s]+)\S*, probes on (http:\/\/[^/\s]+)/,
  );
  const [, url, admin] = c.ready as unknown as [string, string, string];
  return {
    url,
    pid: c.pid,
    signalled: async () => {
      const res = await request(`${admin}/metrics`);
      const text = await res.body.text();
      const out: Record<string, number> = {};
      for (const m of text.matchAll(/signals_total\{signal="(\w+)"\} (\d+)/g)) out[m[1]!] = Number(m[2]);
      // Signal RPCs (several events can share one): `agoraEventRpcs`.
      for (const m of text.matchAll(/signal_rpcs_total\{signal="(\w+)"\} (\d+)/g))
        out[`${m[1]!}Rpcs`] = Number(m[2]);
      return out;
    },
    close: () => c.stop(),
  };
}

export interface StoragePart {
  pid: number;
  /** Which S3 server: SeaweedFS (Go, the default) or moto (Python, what the tests use). */
  kind: StorageKind;
  /** The product worker's "default" storage profile: the fixtures' bucket on this server, its key. */
  profile: Record<string, unknown>;
  close(): Promise<void>;
}

export type StorageKind = 'seaweedfs' | 'moto';

/**
 * The customer's bucket, reachable as in production: one S3 server with SigV4 credentials
 * enforced and the fixtures' bucket created. The product lists it after each capture's final
 * stop and writes manifest.json to it. External to the product, like the emulator: its CPU is
 * reported as the part `storage`. SeaweedFS by default: moto (Python) spent ~50–80 ms of CPU per
 * capture on the same 2 cores as the product, which says more about moto than about the
 * product; a customer's bucket costs the customer's machines nothing of ours. The emulator still
 * writes screenshots to its own folder (no `--s3-endpoint`), so that the REST baseline's
 * sessions, whose profile holds no key, are treated the same as the product's.
 */
export async function startStoragePart(kind: StorageKind = 'seaweedfs'): Promise<StoragePart> {
  const server =
    kind === 'seaweedfs'
      ? await startSeaweedServer({ buckets: [TEST_BUCKET] })
      : await startMotoServer({ buckets: [TEST_BUCKET], enforceCredentials: true });
  track(server.process);
  const profile = s3StorageProfile({
    endpoint: server.endpoint,
    bucket: TEST_BUCKET,
    ...server.credentials!,
  });
  return { pid: server.process.pid!, kind, profile, close: () => server.stop() };
}
