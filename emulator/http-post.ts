/**
 * One HTTP POST for a callback attempt, with a total deadline (NCS counts an answer after 10 s
 * as a failure even if it is a 200). Resolves with the status once the answer was read, or
 * with the error; never rejects, because a failed attempt is data, not an exception.
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** What an attempt ended with. */
export type PostOutcome = { status: number; error?: undefined } | { status?: undefined; error: string };

/** POSTs `body` to `url`; `track` sees the request while it is open (so close() can abort it). */
export function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  opts: { agent: http.Agent; timeoutMs: number; track: Set<http.ClientRequest> },
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: opts.agent,
    });
    opts.track.add(req);
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const done = (outcome: PostOutcome) => {
      clearTimeout(timer);
      opts.track.delete(req);
      resolve(outcome);
    };
    req.on('response', (res) => {
      res.on('error', (e) => done({ error: e.message }));
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
      res.resume();
    });
    req.on('error', (e) => done({ error: e.message }));
    req.end(body);
  });
}
