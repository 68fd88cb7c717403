/**
 * Which Agora REST host to call (https://docs.agora.io/en/cloud-recording/rest-api/overview).
 * Accepted spellings, case-insensitive:
 *
 * - nothing / empty            → `https://api.sd-rtn.com` (the current API reference's host)
 * - `sd-rtn.com`, `agora.io`   → `https://api.sd-rtn.com`, `https://api.agora.io`
 * - `<prefix>` e.g. `eu-central-1` (also `api-eu-central-1`) → `https://api-eu-central-1.sd-rtn.com`
 * - `agora.io/<prefix>` or `sd-rtn.com/<prefix>` → that regional host under the named domain
 * - a full `https://…` URL (any host, e.g. a proxy), returned without a trailing slash
 * - `http://…` only for loopback (the local emulator), unless `allowInsecureHttp` is set
 *   (a compose network where the emulator is another container)
 *
 * Anything else throws: a typo here would otherwise surface as DNS errors mid-capture.
 */

/** The current API reference's host. */
export const AGORA_DEFAULT_BASE_URL = 'https://api.sd-rtn.com';

/** The two major domains; each serves the same paths. */
export const AGORA_DOMAINS = ['sd-rtn.com', 'agora.io'] as const;
export type AgoraDomain = (typeof AGORA_DOMAINS)[number];

/** Regional host prefixes (without the `api-`), each existing under both domains. */
export const AGORA_REGIONAL_PREFIXES = [
  'us-west-1',
  'us-east-1',
  'ap-southeast-1',
  'ap-northeast-1',
  'eu-west-1',
  'eu-central-1',
  'cn-east-1',
  'cn-north-1',
] as const;
export type AgoraRegionalPrefix = (typeof AGORA_REGIONAL_PREFIXES)[number];

/** Options for {@link resolveAgoraBaseUrl}. */
export interface ResolveBaseUrlOptions {
  /** Allow plain http to a non-loopback host (containers on a private network). Default false. */
  allowInsecureHttp?: boolean;
}

const ACCEPTED =
  `"sd-rtn.com", "agora.io", a regional prefix (${AGORA_REGIONAL_PREFIXES.join(', ')}), ` +
  `"<domain>/<prefix>", or an https:// URL`;

function isRegionalPrefix(v: string): v is AgoraRegionalPrefix {
  return (AGORA_REGIONAL_PREFIXES as readonly string[]).includes(v);
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Builds `https://api[-<prefix>].<domain>`. */
export function agoraHostUrl(domain: AgoraDomain, prefix?: AgoraRegionalPrefix): string {
  return `https://api${prefix ? `-${prefix}` : ''}.${domain}`;
}

function resolveUrl(raw: string, options: ResolveBaseUrlOptions): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Agora base URL is not a valid URL; expected ${ACCEPTED}`);
  }
  if (url.username || url.password) {
    // Credentials go in the Authorization header; a URL with userinfo ends up in logs.
    throw new Error('Agora base URL must not contain credentials');
  }
  if (url.search || url.hash) throw new Error('Agora base URL must not have a query or fragment');
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname) && !options.allowInsecureHttp) {
      throw new Error('Agora base URL may use http:// only for a loopback host (the local emulator)');
    }
  } else if (url.protocol !== 'https:') {
    throw new Error(`Agora base URL must be http(s); expected ${ACCEPTED}`);
  }
  // A path prefix is kept (a proxy may mount the API under one); the trailing slash is not.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Resolves a configured host name or URL to a base URL without trailing slash. */
export function resolveAgoraBaseUrl(value?: string, options: ResolveBaseUrlOptions = {}): string {
  const raw = (value ?? '').trim();
  if (raw === '') return AGORA_DEFAULT_BASE_URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return resolveUrl(raw, options);

  const name = raw.toLowerCase();
  const [first, second, ...rest] = name.split('/');
  const asPrefix = (p: string | undefined): AgoraRegionalPrefix | undefined => {
    const bare = p?.replace(/^api-/, '');
    return bare !== undefined && isRegionalPrefix(bare) ? bare : undefined;
  };
  const asDomain = (d: string | undefined): AgoraDomain | undefined =>
    (AGORA_DOMAINS as readonly string[]).includes(d ?? '') ? (d as AgoraDomain) : undefined;

  if (rest.length === 0 && first !== undefined) {
    const domain = asDomain(first);
    if (second === undefined) {
      if (domain) return agoraHostUrl(domain);
      const prefix = asPrefix(first);
      if (prefix) return agoraHostUrl('sd-rtn.com', prefix);
    } else if (domain) {
      const prefix = asPrefix(second);
      if (prefix) return agoraHostUrl(domain, prefix);
    }
  }
  throw new Error(`unknown Agora host ${JSON.stringify(raw.slice(0, 100))}; expected ${ACCEPTED}`);
}
