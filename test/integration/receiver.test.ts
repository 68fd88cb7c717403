/**
 * The NCS receiver against the suite's real Temporal server and real captures (emulator +
 * in-process worker). One broken thing per test. Routing is asserted on what Temporal
 * recorded: a WorkflowExecutionSignaled event with the signal's name and input.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapture, stopCapture } from '../../client/api';
import { type Receiver, startReceiver } from '../../client/receiver/server';
import { CAPTURE_SIDS } from '../../workflows/search-attributes';
import { captureRequest, uniqueChannel } from '../helpers/fixtures';
import { freePort } from '../helpers/free-port';
import { type Harness, startHarness } from '../helpers/harness';
import {
  httpSend,
  NCS_OLD_SECRET,
  NCS_SECRET,
  ncsEnvelope,
  ncsEvent,
  ncsRequest,
  type NcsTarget,
  omitPath,
  postNcs,
} from '../helpers/ncs';
import { waitFor } from '../helpers/wait-for';
import { lazyCloseSafe } from '../../client/grpc-retry';

interface Signalled {
  name: string;
  input: unknown;
}

describe('NCS receiver on a real Temporal server', () => {
  let h: Harness;
  let r: Receiver;
  let capture: NcsTarget & { workflowId: string };
  const workflowIds: string[] = [];
  const firstRunIds = new Map<string, string>();

  /** Starts a capture and waits until Agora (the emulator) gave it a sid. */
  async function runningCapture(): Promise<NcsTarget & { workflowId: string }> {
    const req = captureRequest({ durationSeconds: 300 });
    const { workflowId, runId } = await h.start(req);
    workflowIds.push(workflowId);
    firstRunIds.set(workflowId, runId);
    const status = await waitFor(
      async () => {
        const s = await getCapture(h.env.client, workflowId);
        return s.phase === 'CAPTURING' && s.sid ? s : undefined;
      },
      { what: 'phase CAPTURING with a sid' },
    );
    return { workflowId, cname: req.channel, uid: req.recorderUid, sid: status.sid! };
  }

  /** Signals in every run of the workflow, first to last: a capture may continue as new. */
  async function signalsOf(workflowId: string): Promise<Signalled[]> {
    const out: Signalled[] = [];
    let run = firstRunIds.get(workflowId);
    while (run) {
      const history = await h.env.client.workflow.getHandle(workflowId, run).fetchHistory();
      run = undefined;
      for (const e of history.events ?? []) {
        const a = e.workflowExecutionSignaledEventAttributes;
        if (a) {
          const input = defaultPayloadConverter.fromPayload<{ events?: unknown[] }>(a.input!.payloads![0]!);
          // agoraEvent carries a batch: one entry per event, as the capture sees them.
          const inputs =
            a.signalName === 'agoraEvent' && Array.isArray(input?.events) ? input.events : [input];
          for (const one of inputs) out.push({ name: a.signalName ?? '', input: one });
        }
        run = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? run;
      }
    }
    return out;
  }
  const noticeIdOf = (s: Signalled) => {
    const input = s.input as { noticeId?: string; event?: { noticeId?: string } } | undefined;
    return input?.noticeId ?? input?.event?.noticeId;
  };
  const findSignal = async (workflowId: string, noticeId: unknown) =>
    (await signalsOf(workflowId)).find((s) => noticeIdOf(s) === noticeId);
  /** Waits for the signal: one arriving during a workflow task is buffered until the task completes. */
  const signalWith = (workflowId: string, noticeId: unknown) =>
    waitFor(() => findSignal(workflowId, noticeId), {
      timeoutMs: 10_000,
      what: `signal of notice ${String(noticeId)}`,
    });
  /** Absence, proven by a later marker event arriving while the refused one never did. */
  const expectNoSignal = async (target: NcsTarget & { workflowId: string }, noticeId: unknown) => {
    const marker = ncsEvent.snapshotFile(target);
    expect((await postNcs(r.url, ncsRequest(marker))).status).toBe(200);
    await signalWith(target.workflowId, marker.noticeId);
    expect(await findSignal(target.workflowId, noticeId)).toBeUndefined();
  };

  beforeAll(async () => {
    h = await startHarness();
    r = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET, NCS_OLD_SECRET] });
    capture = await runningCapture();
  });
  afterAll(async () => {
    for (const id of workflowIds)
      await stopCapture(h.env.client, id, { reason: 'test cleanup' }).catch(() => {});
    await r?.close();
    await h?.close();
  });

  it('signals the capture for a valid v2-signed event and answers 200 {}', async () => {
    const env = ncsEvent.snapshotFile(capture);
    const res = await postNcs(r.url, ncsRequest(env, { signed: 'v2' }));
    expect([res.status, res.text]).toEqual([200, '{}']);
    const s = await signalWith(capture.workflowId, env.noticeId);
    expect(s).toEqual({
      name: 'agoraEvent',
      input: expect.objectContaining({
        noticeId: env.noticeId,
        eventType: 45,
        cname: capture.cname,
        uid: capture.uid,
        sid: capture.sid,
        details: expect.objectContaining({
          fileName: (env.payload as { details: { fileName: string } }).details.fileName,
        }),
      }),
    });
  });

  it('accepts an event signed only with SHA1 (Agora-Signature)', async () => {
    const env = ncsEvent.snapshotFile(capture);
    expect((await postNcs(r.url, ncsRequest(env, { signed: 'v1' }))).status).toBe(200);
    expect(await signalWith(capture.workflowId, env.noticeId)).toMatchObject({ name: 'agoraEvent' });
  });

  it('accepts an event signed with the second (rotated) secret', async () => {
    const env = ncsEvent.snapshotFile(capture);
    expect((await postNcs(r.url, ncsRequest(env, { secret: NCS_OLD_SECRET }))).status).toBe(200);
    expect(await signalWith(capture.workflowId, env.noticeId)).toMatchObject({ name: 'agoraEvent' });
  });

  it('refuses an unsigned event with 401 and signals nothing', async () => {
    const env = ncsEvent.snapshotFile(capture);
    expect((await postNcs(r.url, ncsRequest(env, { signed: 'none' }))).status).toBe(401);
    await expectNoSignal(capture, env.noticeId);
  });

  it('refuses an event signed with another secret', async () => {
    const res = await postNcs(
      r.url,
      ncsRequest(ncsEvent.snapshotFile(capture), { secret: 'not-the-ncs-secret' }),
    );
    expect([res.status, res.json()]).toEqual([401, { error: 'agora-signature-v2 does not match' }]);
  });

  it('refuses a signature over other bytes (the same JSON re-serialised)', async () => {
    const env = ncsEvent.snapshotFile(capture);
    const req = ncsRequest(JSON.stringify(env, null, 2), { signBody: JSON.stringify(env) });
    expect((await postNcs(r.url, req)).status).toBe(401);
  });

  it('refuses a wrong content type with 415', async () => {
    expect(
      (await postNcs(r.url, ncsRequest(ncsEvent.snapshotFile(capture), { contentType: 'text/plain' })))
        .status,
    ).toBe(415);
  });

  it('refuses an oversized body with 413', async () => {
    const big = ncsEvent.snapshotFile(capture, 'k.jpg', { payload: { padding: 'x'.repeat(70 * 1024) } });
    expect((await postNcs(r.url, ncsRequest(big))).status).toBe(413);
  });

  it('refuses validly signed malformed JSON with 400', async () => {
    const res = await postNcs(r.url, ncsRequest('{"noticeId": "n1", '));
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/^malformed JSON/) });
  });

  it.each(['noticeId', 'payload.sid'])('refuses an envelope without %s, naming the field', async (field) => {
    const res = await postNcs(r.url, ncsRequest(omitPath(ncsEvent.snapshotFile(capture), field)));
    expect([res.status, res.json()]).toEqual([400, { error: `${field}: required` }]);
  });

  it('refuses a correctly signed event whose notifyMs is older than the window, naming why, and signals nothing', async () => {
    const env = ncsEvent.snapshotFile(capture, undefined, { notifyMs: Date.UTC(2001, 0, 1) });
    const before = r.stats().verdicts.stale;
    const res = await postNcs(r.url, ncsRequest(env));
    expect(r.stats().verdicts.stale).toBe(before + 1);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: expect.stringMatching(/notifyMs is .* old, beyond the 1 h replay window/),
    });
    await expectNoSignal(capture, env.noticeId);
  });

  it('refuses a notifyMs further ahead of the clock than the skew allows, and signals nothing', async () => {
    const env = ncsEvent.snapshotFile(capture, undefined, { notifyMs: Date.now() + 60 * 60 * 1000 });
    const before = r.stats().verdicts.future;
    const res = await postNcs(r.url, ncsRequest(env));
    expect(r.stats().verdicts.future).toBe(before + 1);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: expect.stringMatching(/ahead of this receiver's clock, beyond the allowed 5 min skew/),
    });
    await expectNoSignal(capture, env.noticeId);
  });

  it('answers 60 replays of one delivered callback 200 without signalling again: history barely grows', async () => {
    const own = await runningCapture();
    const env = ncsEvent.snapshotFile(own);
    const request = ncsRequest(env);
    expect((await postNcs(r.url, request)).status).toBe(200);
    await signalWith(own.workflowId, env.noticeId);
    const handle = h.env.client.workflow.getHandle(own.workflowId);
    const before = (await handle.describe()).historyLength;
    const signalsBefore = (await signalsOf(own.workflowId)).length;
    const duplicatesBefore = r.stats().verdicts.duplicate;

    // Half one after another, half at once (copies of one another in flight together).
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await postNcs(r.url, request)).status);
    statuses.push(
      ...(await Promise.all(Array.from({ length: 30 }, () => postNcs(r.url, request)))).map((a) => a.status),
    );
    expect(statuses).toEqual(Array.from({ length: 60 }, () => 200));
    expect(r.stats().verdicts.duplicate - duplicatesBefore).toBe(60);

    // A later marker reaching the workflow proves the replays had their chance to arrive.
    const marker = ncsEvent.snapshotFile(own);
    expect((await postNcs(r.url, ncsRequest(marker))).status).toBe(200);
    await signalWith(own.workflowId, marker.noticeId);
    const after = (await handle.describe()).historyLength;
    const copies = (await signalsOf(own.workflowId)).filter((s) => noticeIdOf(s) === env.noticeId);
    expect(copies).toHaveLength(1);
    // Of the 61 callbacks, only the marker was signalled.
    expect((await signalsOf(own.workflowId)).length - signalsBefore).toBe(1);
    // The marker's signal and its workflow task, plus what the live capture does on its own
    // meanwhile (a health check, a timer); without the guard, 60 replays added ~360 events.
    expect(after - before).toBeLessThanOrEqual(20);
    const metrics = (await httpSend(r.url, { method: 'GET', path: '/metrics' })).text;
    expect(metrics).toMatch(/^agora_capture_receiver_requests_total\{verdict="duplicate"\} [1-9]\d*$/m);
  });

  it('acknowledges another product (RTC) without signalling', async () => {
    const env = ncsEvent.snapshotFile(capture, 'k.jpg', { productId: 1 });
    const before = r.stats().verdicts['ignored-product'];
    expect((await postNcs(r.url, ncsRequest(env))).status).toBe(200);
    expect(r.stats().verdicts['ignored-product']).toBe(before + 1);
    await expectNoSignal(capture, env.noticeId);
  });

  it('acknowledges an event type the capture does not act on without signalling', async () => {
    const env = ncsEnvelope(999, capture, { msgName: 'from_the_future' });
    const before = r.stats().verdicts['ignored-event'];
    expect((await postNcs(r.url, ncsRequest(env))).status).toBe(200);
    expect(r.stats().verdicts['ignored-event']).toBe(before + 1);
    await expectNoSignal(capture, env.noticeId);
  });

  it('acknowledges and counts an event for a capture it does not own', async () => {
    const before = r.stats().verdicts['unknown-capture'];
    const res = await postNcs(
      r.url,
      ncsRequest(ncsEvent.snapshotFile({ cname: uniqueChannel('nobody'), uid: '1', sid: 'f'.repeat(32) })),
    );
    expect([res.status, res.text]).toEqual([200, '{}']);
    expect(r.stats().verdicts['unknown-capture']).toBe(before + 1);
  });

  it('quotes a hostile sid safely in the visibility query', async () => {
    const res = await postNcs(
      r.url,
      ncsRequest(
        ncsEvent.snapshotFile({ cname: uniqueChannel('nobody'), uid: '1', sid: `x' OR WorkflowId != '\\` }),
      ),
    );
    expect(res.status).toBe(200);
  });

  it('routes by sid after a failover (new uid): learned from an earlier event', async () => {
    await postNcs(r.url, ncsRequest(ncsEvent.snapshotFile(capture)));
    const env = ncsEvent.snapshotFile({ ...capture, uid: '918273' });
    const before = r.stats().routedBy['sid-cache'];
    expect((await postNcs(r.url, ncsRequest(env))).status).toBe(200);
    expect(r.stats().routedBy['sid-cache']).toBe(before + 1);
    expect(await signalWith(capture.workflowId, env.noticeId)).toMatchObject({
      input: { uid: '918273', sid: capture.sid },
    });
  });

  it('routes by sid after a failover with nothing cached: CaptureSids in visibility', async () => {
    // A stand-in capture on a queue no worker polls: it stays Running with a known CaptureSids.
    const cname = uniqueChannel('vis');
    const sid = `vis-${Date.now()}`;
    const handle = await h.env.client.workflow.start('captureChannelWorkflow', {
      taskQueue: `no-worker-${sid}`,
      workflowId: `capture/${cname}/111`,
      args: [{}],
      typedSearchAttributes: [{ key: CAPTURE_SIDS, value: [sid] }],
    });
    firstRunIds.set(handle.workflowId, handle.firstExecutionRunId);
    try {
      await waitFor(
        async () => {
          for await (const _ of h.env.client.workflow.list({ query: `CaptureSids = '${sid}'` })) return true;
          return false;
        },
        { what: 'visibility to index the stand-in' },
      );
      const fresh = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET] });
      const env = ncsEvent.snapshotFile({ cname, uid: '222', sid });
      const res = await postNcs(fresh.url, ncsRequest(env));
      const stats = fresh.stats();
      await fresh.close();
      expect(res.status).toBe(200);
      expect(stats.routedBy['sid-search']).toBe(1);
      expect(await signalWith(handle.workflowId, env.noticeId)).toMatchObject({
        name: 'agoraEvent',
        input: { uid: '222' },
      });
    } finally {
      await handle.terminate('test cleanup');
    }
  });

  it('finds a real capture by the CaptureSids it upserts when nothing is cached', async () => {
    await waitFor(
      async () => {
        for await (const wf of h.env.client.workflow.list({ query: `CaptureSids = '${capture.sid}'` }))
          return wf.workflowId === capture.workflowId;
        return false;
      },
      { what: 'the capture to publish its sid in CaptureSids' },
    );
    const fresh = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET] });
    const env = ncsEvent.snapshotFile({ ...capture, uid: '5550001' });
    const res = await postNcs(fresh.url, ncsRequest(env));
    const stats = fresh.stats();
    await fresh.close();
    expect(res.status).toBe(200);
    expect(stats.routedBy['sid-search']).toBe(1);
    expect(await signalWith(capture.workflowId, env.noticeId)).toMatchObject({
      input: { uid: '5550001', sid: capture.sid },
    });
  });

  it('counts the signal RPCs it sends, one per signal whatever the number of events it carried', async () => {
    const own = await runningCapture();
    const fresh = await startReceiver({ client: h.env.client, secrets: [NCS_SECRET] });
    const envs = [0, 1, 2, 3].map(() => ncsEvent.snapshotFile(own));
    try {
      const answers = await Promise.all(envs.map((env) => postNcs(fresh.url, ncsRequest(env))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    } finally {
      await fresh.close();
    }
    const stats = fresh.stats();
    const ids = new Set(envs.map((env) => env.noticeId));
    // Signal events in history that carry our callbacks, each one RPC the receiver sent. A signal
    // arriving during a workflow task is buffered until the task completes: wait for all four.
    const rpcs = await waitFor(
      async () => {
        const history = await h.env.client.workflow.getHandle(own.workflowId).fetchHistory();
        let signals = 0;
        const seen = new Set<string>();
        for (const e of history.events ?? []) {
          const a = e.workflowExecutionSignaledEventAttributes;
          if (!a) continue;
          const input = defaultPayloadConverter.fromPayload<{ events?: { noticeId?: string }[] }>(
            a.input!.payloads![0]!,
          );
          const ours = (input.events ?? []).filter((x) => ids.has(x.noticeId ?? ''));
          if (ours.length > 0) signals += 1;
          for (const x of ours) seen.add(x.noticeId ?? '');
        }
        return seen.size === ids.size ? signals : undefined;
      },
      { timeoutMs: 10_000, what: 'the four callbacks in history' },
    );
    expect(stats.signalled.agoraEvent).toBe(4);
    expect(stats.signalRpcs.agoraEvent).toBe(rpcs);
  });

  it('sends event 44 as an agoraEvent (batched like every Agora fact), never as an operator command', async () => {
    const own = await runningCapture();
    const off = ncsEvent.videoState(own, '1001', 1);
    const on = ncsEvent.videoState(own, '1001', 0);
    expect((await postNcs(r.url, ncsRequest(off))).status).toBe(200);
    expect((await postNcs(r.url, ncsRequest(on))).status).toBe(200);
    expect(await signalWith(own.workflowId, off.noticeId)).toMatchObject({
      name: 'agoraEvent',
      input: { eventType: 44, details: { streamUid: '1001', state: 1 } },
    });
    expect(await signalWith(own.workflowId, on.noticeId)).toMatchObject({
      name: 'agoraEvent',
      input: { eventType: 44, details: { streamUid: '1001', state: 0 } },
    });
  });

  it('answers GET /healthz, 404 on another path and 405 for GET on the NCS path', async () => {
    expect((await httpSend(r.url, { method: 'GET', path: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await httpSend(r.url, { method: 'GET', path: '/readyz' })).status).toBe(200);
    expect(
      (await httpSend(r.url, { ...ncsRequest(ncsEvent.snapshotFile(capture)), path: '/agora/ncs/extra' }))
        .status,
    ).toBe(404);
    const get = await httpSend(r.url, { method: 'GET', path: '/agora/ncs' });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
  });

  it('answers 503 in time when Temporal is unreachable, so Agora resends', async () => {
    const connection = lazyCloseSafe({
      address: `127.0.0.1:${await freePort()}`,
    });
    const down = await startReceiver({
      client: new Client({ connection }),
      secrets: [NCS_SECRET],
      signalTimeoutMs: 1500,
    });
    try {
      const started = Date.now();
      const res = await postNcs(down.url, ncsRequest(ncsEvent.snapshotFile(capture)));
      expect([res.status, res.json()]).toEqual([503, { error: 'temporal unavailable' }]);
      expect(Date.now() - started).toBeLessThan(4000);
      expect((await httpSend(down.url, { method: 'GET', path: '/readyz' })).status).toBe(503);
      expect(down.stats().verdicts['temporal-unavailable']).toBe(1);
    } finally {
      await down.close();
      // Not closed on purpose: the SDK's gRPC retry interceptor keeps retrying the aborted
      // signal on a timer, and a retry firing after close() throws "Channel has been shut
      // down" as an uncaught exception. The lazy connection to a dead port holds nothing else.
      void connection;
    }
  });
});
