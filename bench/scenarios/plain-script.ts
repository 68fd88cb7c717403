/**
 * What a user would write without Temporal: acquire → start → sleep → stop with undici
 * against the same emulator. Nothing survives a crash, nothing retries; it shows what the
 * durability costs. Same two figures: sequential start latency (script start → Agora start
 * received) and N concurrent 1 s captures per second.
 */
import { request } from 'undici';
import { buildRecorderToken } from '../../agora/token';
import { APP_ID, CUSTOMER_ID, SECRETS, storageProfile } from '../../test/helpers/fixtures';
import { uniqueChannel } from '../../test/helpers/fixtures';
import type { Stack } from '../lib/stack';
import { pool, sleep } from '../lib/pool';
import { r1, summary } from '../lib/stats';

const auth = `Basic ${Buffer.from(`${CUSTOMER_ID}:${SECRETS.customerSecret}`).toString('base64')}`;

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(url, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

/** One capture, the naive way. `onStartSent` marks when start is about to be sent. */
async function capture(base: string, seconds: number): Promise<void> {
  const cname = uniqueChannel('plain');
  const uid = '527841';
  const api = `${base}/v1/apps/${APP_ID}/cloud_recording`;
  const { resourceId } = (await post(`${api}/acquire`, {
    cname,
    uid,
    clientRequest: { scene: 0, resourceExpiredHour: 24 },
  })) as { resourceId: string };
  const token = buildRecorderToken({
    appId: APP_ID,
    appCertificate: SECRETS.appCertificate,
    channel: cname,
    uid,
    expireSeconds: 3600,
  });
  const { sid } = (await post(`${api}/resourceid/${resourceId}/mode/individual/start`, {
    cname,
    uid,
    clientRequest: {
      token,
      recordingConfig: {
        channelType: 0,
        streamTypes: 1,
        maxIdleTime: 300,
        subscribeUidGroup: 0,
        subscribeVideoUids: ['1001'],
      },
      snapshotConfig: { captureInterval: 5, fileType: ['jpg'] },
      storageConfig: storageProfile(),
    },
  })) as { sid: string };
  await sleep(seconds * 1000);
  await post(`${api}/resourceid/${resourceId}/sid/${sid}/mode/individual/stop`, {
    cname,
    uid,
    clientRequest: {},
  });
}

export async function plainScript(stack: Stack, starts: number, n: number) {
  const latency: number[] = [];
  for (let i = 0; i < starts; i++) {
    const before = stack.emulator.requests().length;
    const t0 = Date.now();
    await capture(stack.emulator.url, 0);
    const start = stack.emulator
      .requests()
      .slice(before)
      .find((r) => r.endpoint === 'start')!;
    latency.push(start.at - t0);
  }
  const t0 = Date.now();
  await pool(n, 64, () => capture(stack.emulator.url, 1));
  const s = (Date.now() - t0) / 1000;
  return { startLatencyMs: summary(latency), lifecycle: { n, seconds: r1(s), perSecond: r1(n / s) } };
}
