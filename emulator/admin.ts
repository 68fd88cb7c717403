/**
 * Admin HTTP API under `/__emulator/` for other processes (dev tool on loopback, no auth):
 * read the ledger and request log, script faults, trigger failovers and Agora-side ends. The
 * channel, callback and scenario routes live in admin-sim.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminError, parse, UnknownSessionError } from './admin-io';
import { endSessionBody, failoverBody, injectBody } from './admin-schemas';
import { simulationRoute } from './admin-sim';
import { readBody, send } from './http-io';
import type { AgoraEmulator } from './emulator';

export { UnknownSessionError };

/** Dispatches one admin request; answers `{error}` with 400/404 on bad input. */
export async function handleAdmin(
  emu: AgoraEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  pathname: string,
): Promise<void> {
  const raw = await readBody(req);
  const route = `${req.method ?? 'GET'} ${pathname.replace(/\/+$/, '')}`;
  try {
    const body = ((): unknown => {
      switch (route) {
        case 'GET /__emulator/health':
          return { ok: true, url: emu.url };
        case 'GET /__emulator/ledger':
          return emu.ledger();
        case 'GET /__emulator/requests':
          return emu.requests();
        case 'POST /__emulator/faults': {
          const b = parse(injectBody, raw);
          emu.inject(b.endpoint, ...b.faults);
          return { ok: true };
        }
        case 'DELETE /__emulator/faults':
          emu.clearFaults();
          return { ok: true };
        case 'POST /__emulator/failover': {
          const b = parse(failoverBody, raw);
          emu.failover(b.sid, { windowMs: b.windowMs });
          return { ok: true };
        }
        case 'POST /__emulator/end-session': {
          const b = parse(endSessionBody, raw);
          emu.endSession(b.sid, b.reason);
          return { ok: true };
        }
        case 'POST /__emulator/reset':
          emu.reset();
          return { ok: true };
        default: {
          const answer = simulationRoute(emu, req.method ?? 'GET', pathname.replace(/\/+$/, ''), raw);
          if (answer === undefined) throw new AdminError(404, `unknown admin route ${route}`);
          return answer;
        }
      }
    })();
    send(res, 200, body, requestId);
  } catch (e) {
    if (e instanceof AdminError) return send(res, e.status, { error: e.message }, requestId);
    if (e instanceof UnknownSessionError) return send(res, 404, { error: e.message }, requestId);
    throw e;
  }
}
