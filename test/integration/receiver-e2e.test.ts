/**
 * End to end: the emulator's signed NCS callbacks (as Agora would send them) reach the
 * receiver, which signals the running capture. Proves both sides agree on signing and shape.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectCloseSafe } from '../../client/grpc-retry';
import { stopCapture } from '../../client/api';
import { type Receiver, startReceiver } from '../../client/receiver/server';
import { captureRequest } from '../helpers/fixtures';
import { type Harness, startHarness } from '../helpers/harness';
import { NCS_SECRET } from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';

describe('emulator callbacks through the receiver', () => {
  let connection: Connection;
  let r: Receiver;
  let h: Harness;
  beforeAll(async () => {
    // A grpc-js client (`npm run receiver` uses the Rust one: background-connection.test.ts).
    connection = await connectCloseSafe({
      address: inject('temporalAddress'),
    });
    r = await startReceiver({ client: new Client({ connection }), secrets: [NCS_SECRET] });
    h = await startHarness({
      emulator: {
        callback: { url: `${r.url}/agora/ncs`, secret: NCS_SECRET },
        autoPublishers: ['1001'],
        timeScale: 0.2,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await r?.close();
    await connection?.close();
  });

  it('delivers recorder and screenshot events to the capture as signals', async () => {
    const { workflowId } = await h.start(captureRequest({ durationSeconds: 120 }));
    try {
      const types = await waitFor(
        async () => {
          const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
          const seen = (history.events ?? []).flatMap((e) => {
            const a = e.workflowExecutionSignaledEventAttributes;
            if (a?.signalName !== 'agoraEvent') return [];
            const batch = defaultPayloadConverter.fromPayload<{ events: { eventType: number }[] }>(
              a.input!.payloads![0]!,
            );
            return batch.events.map((e) => e.eventType);
          });
          return seen.includes(40) && seen.includes(45) ? seen : undefined;
        },
        { timeoutMs: 30_000, what: 'events 40 and 45 as agoraEvent signals' },
      );
      expect(types).toEqual(expect.arrayContaining([40, 45]));
      const s = r.stats();
      expect(s.verdicts['bad-signature'] + s.verdicts['bad-envelope'] + s.verdicts['bad-json']).toBe(0);
      expect(s.routedBy['workflow-id']).toBeGreaterThan(0);
    } finally {
      await stopCapture(h.env.client, workflowId, { reason: 'test cleanup' }).catch(() => {});
    }
  });
});
