/**
 * What the edge adds to the Worker's request, as Cloudflare's edge does:
 *
 *  - `request.cf`, **simulated**: there is no network edge in a browser, so
 *    the object is made from what the browser knows about its user — the time
 *    zone (`Intl`) and the language's region (`navigator.language`) — with the
 *    fields Workers code most often reads (country, continent, city, timezone,
 *    colo, protocol). Plausible, never measured: documented in README.md and
 *    docs/intended-differences.md.
 *  - the `CF-Connecting-IP` header. A page cannot learn its own address, so it
 *    is the loopback address, as `wrangler dev` reports for a local client.
 */

/** A time zone's area → the continent code Cloudflare uses and a large colo there. */
const AREAS: Record<string, { continent: string; colo: string }> = {
  Europe: { continent: 'EU', colo: 'FRA' },
  America: { continent: 'NA', colo: 'IAD' },
  US: { continent: 'NA', colo: 'IAD' },
  Canada: { continent: 'NA', colo: 'YYZ' },
  Asia: { continent: 'AS', colo: 'SIN' },
  Africa: { continent: 'AF', colo: 'JNB' },
  Australia: { continent: 'OC', colo: 'SYD' },
  Pacific: { continent: 'OC', colo: 'SYD' },
  Atlantic: { continent: 'EU', colo: 'LHR' },
  Indian: { continent: 'AS', colo: 'SIN' },
  Antarctica: { continent: 'AN', colo: 'SYD' },
};

/** South American zones are under America/ too. */
const SOUTH_AMERICA = /^America\/(Argentina|Sao_Paulo|Santiago|Bogota|Lima|Caracas|Montevideo|Asuncion|La_Paz|Guayaquil)/;

export const SIMULATED_CONNECTING_IP = '127.0.0.1';

export interface SimulatedCf {
  colo: string;
  country: string;
  continent: string;
  city?: string;
  timezone: string;
  httpProtocol: string;
  tlsVersion: string;
  tlsCipher: string;
  clientAcceptEncoding: string;
  asn: number;
  asOrganization: string;
  requestPriority: string;
  edgeRequestKeepAliveStatus: number;
}

/** What the browser says about its user; `cf` is made from it (see above). */
export interface UserEnvironment {
  language: string;
  timeZone: string;
}

/** This service worker's user environment, read once: `Intl.DateTimeFormat()` alone costs ~0.1 ms a request. */
let browserEnvironment: UserEnvironment | undefined;
/** `cf` as an environment makes it, made once per environment; each request puts in its own `clientAcceptEncoding`. */
const cfOf = new WeakMap<UserEnvironment, SimulatedCf>();

export function simulatedCf(
  request: Request,
  environment: UserEnvironment = (browserEnvironment ??= { language: globalThis.navigator?.language ?? '', timeZone: timeZone() }),
): SimulatedCf {
  let cf = cfOf.get(environment);
  if (!cf) {
    cf = simulatedPlace(environment);
    cfOf.set(environment, cf);
  }
  // A key spread over keeps its place: the fields stay in Cloudflare's order.
  return { ...cf, clientAcceptEncoding: request.headers.get('accept-encoding') ?? 'gzip, deflate, br' };
}

/** `cf` for an environment, with `clientAcceptEncoding` still to be filled in from the request. */
function simulatedPlace({ timeZone: zone, language }: UserEnvironment): SimulatedCf {
  const area = zone.split('/')[0] ?? '';
  const place = AREAS[area] ?? { continent: 'NA', colo: 'SJC' };
  const continent = SOUTH_AMERICA.test(zone) ? 'SA' : place.continent;
  const colo = SOUTH_AMERICA.test(zone) ? 'GRU' : place.colo;
  const region = regionOf(language);
  const city = zone.includes('/') ? zone.split('/').pop()!.replaceAll('_', ' ') : undefined;
  return {
    colo,
    country: region ?? 'XX',
    continent,
    ...(city ? { city } : {}),
    timezone: zone,
    httpProtocol: 'HTTP/2',
    tlsVersion: 'TLSv1.3',
    tlsCipher: 'AEAD-AES128-GCM-SHA256',
    clientAcceptEncoding: '',
    asn: 0,
    asOrganization: 'Hearth (simulated)',
    requestPriority: '',
    edgeRequestKeepAliveStatus: 1,
  };
}

function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function regionOf(language: string): string | undefined {
  try {
    return new Intl.Locale(language).maximize().region;
  } catch {
    return undefined;
  }
}

/**
 * The request the Worker sees: the browser's, with `CF-Connecting-IP` and
 * `cf`. Rebuilt from its parts, because a navigation request cannot be copied
 * with new headers and a fetch event's own headers are immutable.
 */
export function edgeRequest(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set('CF-Connecting-IP', SIMULATED_CONNECTING_IP);
  let rebuilt: Request;
  if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD' && request.mode !== 'navigate') {
    // Firefox has no `Request.body`: copy the request itself, which carries its body along.
    rebuilt = new Request(request, { headers });
  } else {
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, redirect: request.redirect, signal: request.signal };
    if (request.body) {
      init.body = request.body;
      init.duplex = 'half';
    }
    rebuilt = new Request(request.url, init);
  }
  // Every header kept, as wireToRequest keeps them (a Request's own guard drops Upgrade, Connection…).
  Object.defineProperty(rebuilt, 'headers', { value: headers, enumerable: true });
  Object.defineProperty(rebuilt, 'cf', { value: simulatedCf(request), enumerable: true });
  return rebuilt;
}
