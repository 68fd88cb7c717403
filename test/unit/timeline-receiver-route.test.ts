import { afterEach, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../client/receiver';
import type { TemporalPort } from '../../client/receiver/temporal-port';
import type { TimelineRenderer } from '../../client/receiver/timeline-route';

/** Temporal is not involved: the renderer stands for client/timeline/. */
const port: TemporalPort = {
  signal: () => Promise.resolve(true),
  findRunningBySid: () => Promise.resolve(undefined),
  ping: () => Promise.resolve(),
};

const calls: { workflowId: string; embed: boolean }[] = [];
const renderer: TimelineRenderer = (workflowId, { embed }) => {
  calls.push({ workflowId, embed });
  if (workflowId === 'capture/gone/1')
    return Promise.reject(new Error('no capture capture/gone/1 in namespace default'));
  if (workflowId === 'capture/s3down/1')
    return Promise.reject(new Error('reading s3://b/k: TimeoutError: timed out'));
  return Promise.resolve(`<!doctype html><title>${workflowId}</title>`);
};

describe('the timeline route on the receiver', () => {
  let r: Receiver | undefined;
  afterEach(async () => {
    calls.length = 0;
    await r?.close({ graceMs: 0 });
    r = undefined;
  });

  it('serves the page on the admin port, with the workflow id decoded and embed read from the query', async () => {
    r = await startReceiver({ temporal: port, secrets: ['s'], adminPort: 0, timeline: renderer });
    const res = await fetch(`${r.adminUrl}/captures/capture%2Froom%2F1/timeline?embed=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>capture/room/1</title>');
    expect(calls).toEqual([{ workflowId: 'capture/room/1', embed: true }]);
  });

  it('does not serve it on the callback port', async () => {
    r = await startReceiver({ temporal: port, secrets: ['s'], adminPort: 0, timeline: renderer });
    const res = await fetch(`${r.url}/captures/capture%2Froom%2F1/timeline`);
    expect(res.status).toBe(404);
    expect(calls).toEqual([]);
  });

  it('refuses a timeline without a separate admin port', async () => {
    await expect(startReceiver({ temporal: port, secrets: ['s'], timeline: renderer })).rejects.toThrow(
      'the timeline is served on the admin port only',
    );
  });

  it('answers 404 with the reason for an unknown capture and 502 for a storage failure', async () => {
    r = await startReceiver({ temporal: port, secrets: ['s'], adminPort: 0, timeline: renderer });
    const gone = await fetch(`${r.adminUrl}/captures/capture/gone/1/timeline`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('no capture capture/gone/1');
    const down = await fetch(`${r.adminUrl}/captures/capture/s3down/1/timeline`);
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('TimeoutError');
  });

  it('answers 405 to a POST', async () => {
    r = await startReceiver({ temporal: port, secrets: ['s'], adminPort: 0, timeline: renderer });
    const res = await fetch(`${r.adminUrl}/captures/capture%2Froom%2F1/timeline`, {
      method: 'POST',
      body: 'x',
    });
    expect(res.status).toBe(405);
    expect(calls).toEqual([]);
  });
});
