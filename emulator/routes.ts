/**
 * Path and method matching for the Cloud Recording REST surface. Anything else is the
 * gateway's 404 `no Route matched with those values`.
 */
import type { Endpoint } from './types';

/** A matched REST call with its path parameters. */
export interface Route {
  endpoint: Endpoint;
  appId: string;
  resourceId?: string;
  sid?: string;
  /** Raw mode segment; handlers reject modes the emulator does not serve. */
  mode?: string;
}

const PREFIX = String.raw`^/v1/apps/([^/]+)/cloud_recording`;
const SEG = '([^/]+)';

const TABLE: ReadonlyArray<{ method: string; endpoint: Endpoint; re: RegExp; params: Array<keyof Route> }> = [
  { method: 'POST', endpoint: 'acquire', re: new RegExp(`${PREFIX}/acquire$`), params: [] },
  {
    method: 'POST',
    endpoint: 'start',
    re: new RegExp(`${PREFIX}/resourceid/${SEG}/mode/${SEG}/start$`),
    params: ['resourceId', 'mode'],
  },
  ...(['query', 'update', 'stop'] as const).map((endpoint) => ({
    method: endpoint === 'query' ? 'GET' : 'POST',
    endpoint,
    re: new RegExp(`${PREFIX}/resourceid/${SEG}/sid/${SEG}/mode/${SEG}/${endpoint}$`),
    params: ['resourceId', 'sid', 'mode'] as Array<keyof Route>,
  })),
];

/** Matches `method` + `pathname` (no query string); undefined when no route applies. */
export function matchRoute(method: string, pathname: string): Route | undefined {
  for (const row of TABLE) {
    if (row.method !== method) continue;
    const m = row.re.exec(pathname);
    if (!m) continue;
    const route: Route = { endpoint: row.endpoint, appId: decodeURIComponent(m[1] ?? '') };
    row.params.forEach((p, i) => Object.assign(route, { [p]: decodeURIComponent(m[i + 2] ?? '') }));
    return route;
  }
  return undefined;
}
