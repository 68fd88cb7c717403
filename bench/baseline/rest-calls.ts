/**
 * The three Agora REST calls of a capture written plainly with undici (no zod, no retries, no
 * Temporal): what the REST baseline's activities and the plain script send to the emulator.
 * Same bodies the product sends for the fixtures' request, RTC token included.
 */
import { Agent, request } from 'undici';
import { buildRecorderToken } from '../../agora/token';
import { APP_ID, CUSTOMER_ID, SECRETS, storageProfile } from '../../test/helpers/fixtures';

const auth = `Basic ${Buffer.from(`${CUSTOMER_ID}:${SECRETS.customerSecret}`).toString('base64')}`;
const UID = '527841';
// Keep-alive with room for the bench's concurrency, as the product's AgoraClient pools.
const dispatcher = new Agent({ connections: 128, keepAliveTimeout: 30_000 });

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(url, {
    method: 'POST',
    dispatcher,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

const api = (base: string) => `${base}/v1/apps/${APP_ID}/cloud_recording`;

export async function restAcquire(base: string, cname: string): Promise<string> {
  const { resourceId } = (await post(`${api(base)}/acquire`, {
    cname,
    uid: UID,
    clientRequest: { scene: 0, resourceExpiredHour: 24 },
  })) as { resourceId: string };
  return resourceId;
}

export async function restStart(base: string, cname: string, resourceId: string): Promise<string> {
  const token = buildRecorderToken({
    appId: APP_ID,
    appCertificate: SECRETS.appCertificate,
    channel: cname,
    uid: UID,
    expireSeconds: 3600,
  });
  const { sid } = (await post(`${api(base)}/resourceid/${resourceId}/mode/individual/start`, {
    cname,
    uid: UID,
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
  return sid;
}

export async function restStop(base: string, cname: string, resourceId: string, sid: string): Promise<void> {
  await post(`${api(base)}/resourceid/${resourceId}/sid/${sid}/mode/individual/stop`, {
    cname,
    uid: UID,
    clientRequest: {},
  });
}
