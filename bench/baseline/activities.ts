/**
 * The baselines' activities. No-op: three activities that do nothing (`start` returns when it
 * began, Date.now — the clock the emulator stamps requests with — so start latency compares
 * client start → second activity began). REST: the same three Agora calls the product makes,
 * plain undici against the same emulator (bench/baseline/rest-calls.ts).
 */
import { restAcquire, restStart, restStop } from './rest-calls';

export function createBaselineActivities() {
  return {
    async acquire(_id: string): Promise<void> {},
    async start(_id: string): Promise<number> {
      return Date.now();
    },
    async stop(_id: string): Promise<void> {},
  };
}

export function createRestBaselineActivities(agoraUrl: string) {
  return {
    acquire: (cname: string) => restAcquire(agoraUrl, cname),
    start: (a: { cname: string; resourceId: string }) => restStart(agoraUrl, a.cname, a.resourceId),
    stop: (a: { cname: string; resourceId: string; sid: string }) =>
      restStop(agoraUrl, a.cname, a.resourceId, a.sid),
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
export type RestBaselineActivities = ReturnType<typeof createRestBaselineActivities>;
