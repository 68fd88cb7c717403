import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { SECRETS } from '../helpers/fixtures';
import { NCS_OLD_SECRET, NCS_SECRET } from '../helpers/ncs';
import { historyText } from '../helpers/history-text';
import { installTestRuntime } from '../helpers/harness';
import { WEBHOOK_TEST_SECRET } from '../helpers/webhook-endpoint';
import { connectCloseSafe } from '../../client/grpc-retry';

/** AccessToken2 RTC tokens start with "007" followed by base64 of a deflated body. */
const TOKEN_RE = /007eJ[A-Za-z0-9+/=]{40,}/;

describe('secrets never enter workflow history', () => {
  let connection: Connection;
  let env: { client: Client };
  beforeAll(async () => {
    installTestRuntime();
    // A run of a callback-heavy capture approaches 4 MB of history (where Temporal suggests
    // continue-as-new): above gRPC's default 4 MB message limit, as the Temporal CLI allows too.
    connection = await connectCloseSafe({
      address: inject('temporalAddress'),
      channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
    });
    env = { client: new Client({ connection }) };
  });
  afterAll(() => connection?.close());

  it('finds a secret when one is planted, so the scan can fail', async () => {
    const workflowId = `capture/planted-${Date.now()}/1`;
    const h = await env.client.workflow.start('captureChannelWorkflow', {
      taskQueue: 'nobody-polls-this',
      workflowId,
      args: [{ channel: 'planted', storageConfig: { secretKey: SECRETS.secretKey } }],
    });
    const text = historyText(await h.fetchHistory());
    await h.terminate('planted secret for the scanner self-check');
    expect(text).toContain(SECRETS.secretKey);
  });

  it('no history of the suite holds a credential, storage key, certificate or token', async () => {
    const leaks: string[] = [];
    let scanned = 0;
    const query = `WorkflowType IN ('captureChannelWorkflow', 'webhookDeliveryWorkflow', 'scriptedWebhookEmitter')`;
    for await (const wf of env.client.workflow.list({ query })) {
      if (wf.workflowId.startsWith('capture/planted-')) continue;
      const text = historyText(await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory());
      scanned += 1;
      const secrets = {
        ...SECRETS,
        ncsSecret: NCS_SECRET,
        ncsOldSecret: NCS_OLD_SECRET,
        webhookSecret: WEBHOOK_TEST_SECRET.slice('whsec_'.length),
        // The run's S3 server key pair, which the captures with real storage use.
        s3AccessKey: inject('s3').accessKeyId,
        s3SecretKey: inject('s3').secretAccessKey,
      };
      for (const [name, value] of Object.entries(secrets)) {
        if (text.includes(value)) leaks.push(`${wf.workflowId}: ${name}`);
      }
      if (TOKEN_RE.test(text)) leaks.push(`${wf.workflowId}: RTC token`);
    }
    expect(scanned).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
  });
});
