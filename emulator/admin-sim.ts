/**
 * Admin routes of the channel simulation, for other processes and curl:
 * channels and publishers, the callback log, callback faults, scenarios and ad-hoc events.
 */
import { z } from 'zod';
import { AdminError, parse, UnknownSessionError } from './admin-io';
import { callbackFaultsSchema } from './callback-faults';
import { ChannelInputError, NotInChannelError } from './channel';
import type { AgoraEmulator } from './emulator';
import { scenarioSchema } from './scenario';

const joinBody = z.object({ uid: z.string(), video: z.boolean().optional() });
const videoBody = z.object({ on: z.boolean() });
const notifyBody = z.object({
  sid: z.string(),
  eventType: z.number().int(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const CHANNEL = /^\/__emulator\/channels\/([^/]+)(?:\/publishers(?:\/([^/]+)(\/video)?)?)?$/;

/** The answer of a simulation admin route, or undefined when `pathname` is not one. */
export function simulationRoute(
  emu: AgoraEmulator,
  method: string,
  pathname: string,
  raw: Buffer | undefined,
): unknown {
  const route = `${method} ${pathname}`;
  switch (route) {
    case 'GET /__emulator/callbacks':
      return emu.callbacks();
    case 'POST /__emulator/callbacks/faults':
      return emu.callbackFaults(parse(callbackFaultsSchema, raw));
    case 'POST /__emulator/scenario':
      emu.runScenario(parse(scenarioSchema, raw));
      return { ok: true };
    case 'POST /__emulator/notify': {
      const b = parse(notifyBody, raw);
      try {
        emu.notify(b.sid, b.eventType, b.details);
      } catch (e) {
        // Unknown sid stays 404; anything else (an event type without msgName) is bad input.
        if (e instanceof UnknownSessionError || !(e instanceof Error)) throw e;
        throw new AdminError(400, e.message);
      }
      return { ok: true };
    }
  }
  const m = CHANNEL.exec(pathname);
  if (!m) return undefined;
  const cname = decodeURIComponent(m[1] ?? '');
  const uid = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  const publishersPath = pathname.includes('/publishers');
  try {
    return channelRoute(emu, { method, cname, uid, video: m[3] !== undefined, publishersPath }, raw);
  } catch (e) {
    if (e instanceof ChannelInputError) throw new AdminError(400, e.message);
    if (e instanceof NotInChannelError) throw new AdminError(404, e.message);
    throw e;
  }
}

interface ChannelPath {
  method: string;
  cname: string;
  uid?: string;
  video: boolean;
  publishersPath: boolean;
}

function channelRoute(emu: AgoraEmulator, p: ChannelPath, raw: Buffer | undefined): unknown {
  const ch = emu.channel(p.cname);
  if (p.method === 'GET' && !p.publishersPath) {
    const sessions = emu
      .ledger()
      .filter((e) => e.active && e.cname === p.cname)
      .map((e) => e.sid);
    return { cname: p.cname, publishers: ch.publishers(), sessions };
  }
  if (p.method === 'POST' && p.publishersPath && p.uid === undefined) {
    const b = parse(joinBody, raw);
    ch.join(b.uid, b.video === undefined ? {} : { video: b.video });
  } else if (p.method === 'DELETE' && p.uid !== undefined && !p.video) {
    ch.leave(p.uid);
  } else if (p.method === 'POST' && p.uid !== undefined && p.video) {
    ch.setVideo(p.uid, parse(videoBody, raw).on);
  } else {
    return undefined;
  }
  return { cname: p.cname, publishers: ch.publishers() };
}
