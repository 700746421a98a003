/**
 * OAuth client-credentials tokens of connections: fetched from the authorization endpoint with the
 * client id and secret (HTTP Basic, as RFC 6749 says, and the connection's OAuth parameters), kept in
 * memory until they expire or the API answers 401. Each node fetches its own.
 */
import type { Clock } from '../../lib/clock.js';
import type { ConnectionAuth, HttpParams } from './connection-model.js';
import { requestWithTimeout } from './http-timeout.js';

export class AuthorizationFailed extends Error {}

interface Cached {
  token: string;
  /** Epoch ms; undefined when the endpoint gave no expiry: used until a 401. */
  expiresAt: number | undefined;
}

/** Refetched this long before the token's own expiry. */
const EARLY_MS = 10_000;

export class OAuthTokens {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly clock: Clock) {}

  /** A token for the connection, from the cache or fetched; `key` changes whenever the credentials do. */
  async token(key: string, oauth: NonNullable<ConnectionAuth['oauth']>): Promise<string> {
    const hit = this.cache.get(key);
    if (hit && (hit.expiresAt === undefined || this.clock.now() < hit.expiresAt - EARLY_MS)) return hit.token;
    const fetched = await fetchToken(oauth, this.clock);
    this.cache.set(key, { token: fetched.token, expiresAt: fetched.expiresIn === undefined ? undefined : this.clock.now() + fetched.expiresIn * 1000 });
    return fetched.token;
  }

  forget(key: string): void {
    this.cache.delete(key);
  }

  forgetConnection(name: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${name}/`)) this.cache.delete(k);
  }
}

async function fetchToken(oauth: NonNullable<ConnectionAuth['oauth']>, clock: Clock): Promise<{ token: string; expiresIn: number | undefined }> {
  const url = new URL(oauth.endpoint);
  for (const q of oauth.params.query) url.searchParams.append(q.key, q.value ?? '');
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret ?? ''}`).toString('base64')}`,
    'user-agent': 'Amazon/EventBridge/ApiDestinations',
    accept: 'application/json',
  };
  for (const h of oauth.params.headers) headers[h.key.toLowerCase()] = h.value ?? '';
  let body: string | undefined;
  if (oauth.httpMethod === 'GET') {
    if (!oauth.params.query.some((q) => q.key === 'grant_type')) url.searchParams.append('grant_type', 'client_credentials');
  } else {
    body = formBody(oauth.params);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  let res: Response;
  try {
    res = await requestWithTimeout(url, { method: oauth.httpMethod, headers, body }, clock);
  } catch (err) {
    throw new AuthorizationFailed(`The authorization endpoint could not be reached: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new AuthorizationFailed(`The authorization endpoint answered ${res.status}: ${text.slice(0, 200)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AuthorizationFailed('The authorization endpoint did not answer JSON.');
  }
  const o = parsed as Record<string, unknown>;
  if (typeof o['access_token'] !== 'string') throw new AuthorizationFailed('The authorization endpoint gave no access_token.');
  const expiresIn = typeof o['expires_in'] === 'number' ? o['expires_in'] : typeof o['expires_in'] === 'string' ? Number(o['expires_in']) : undefined;
  return { token: o['access_token'], expiresIn: expiresIn !== undefined && Number.isFinite(expiresIn) ? expiresIn : undefined };
}

function formBody(params: HttpParams): string {
  const form = new URLSearchParams();
  for (const b of params.body) form.append(b.key, b.value ?? '');
  if (!form.has('grant_type')) form.append('grant_type', 'client_credentials');
  return form.toString();
}
