/**
 * JWT authorizers as HTTP APIs run them: the token from the identity source (a `Bearer ` prefix
 * dropped), its signature checked against the issuer's JWKS (found through the issuer's OpenID
 * discovery document, else `<issuer>/.well-known/jwks.json`, and cached), `iss`, `exp`/`nbf`, the
 * audience (`aud` or `client_id`), then the route's scopes (`scope` or `scp`). Claims go to the
 * integration as strings.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../../../lib/clock.js';
import type { AuthorizerRecord } from '../records.js';

export type JwtOutcome =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string };

type KeySet = ReturnType<typeof createRemoteJWKSet>;

const refuse = (status: 401 | 403, error: string, description: string): JwtOutcome => ({
  ok: false,
  status,
  wwwAuthenticate: `Bearer scope="" error="${error}" error_description="${description.replace(/"/g, "'")}"`,
});

export class JwtAuthorizers {
  private readonly keySets = new Map<string, Promise<KeySet>>();

  constructor(private readonly clock: Clock) {}

  async authorize(a: AuthorizerRecord, token: string, scopes: readonly string[] | undefined): Promise<JwtOutcome> {
    const issuer = a.jwtConfiguration?.issuer;
    if (!issuer) return refuse(401, 'invalid_token', 'the authorizer has no issuer');
    const jwt = token.replace(/^Bearer\s+/i, '');
    let payload: JWTPayload;
    try {
      const keys = await this.keySet(issuer);
      ({ payload } = await jwtVerify(jwt, keys, { issuer, currentDate: new Date(this.clock.now()) }));
    } catch (err) {
      this.forgetFailed(issuer, err);
      return refuse(401, 'invalid_token', (err as Error).message);
    }
    const audiences = a.jwtConfiguration?.audience ?? [];
    const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const clientId = typeof payload['client_id'] === 'string' ? [payload['client_id']] : [];
    if (audiences.length > 0 && ![...aud, ...clientId].some((x) => audiences.includes(x))) return refuse(401, 'invalid_token', 'the token does not have a valid audience');
    const granted = scopesOf(payload);
    if (scopes && scopes.length > 0 && !scopes.some((s) => granted.includes(s))) return refuse(403, 'insufficient_scope', 'the token does not have the scopes the route requires');
    return { ok: true, claims: stringClaims(payload), scopes: granted.length > 0 ? granted : null };
  }

  private keySet(issuer: string): Promise<KeySet> {
    let found = this.keySets.get(issuer);
    if (!found) {
      found = discoverJwks(issuer).then((uri) => createRemoteJWKSet(new URL(uri)));
      this.keySets.set(issuer, found);
    }
    return found;
  }

  /** An issuer that could not be reached is asked again next time. */
  private forgetFailed(issuer: string, err: unknown): void {
    const code = (err as { code?: string }).code;
    if (code === undefined || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC') this.keySets.delete(issuer);
  }
}

async function discoverJwks(issuer: string): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  try {
    const res = await fetch(`${base}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) {
      const doc = (await res.json()) as { jwks_uri?: unknown };
      if (typeof doc.jwks_uri === 'string') return doc.jwks_uri;
    }
  } catch {
    // No discovery document: the conventional JWKS location.
  }
  return `${base}/.well-known/jwks.json`;
}

function scopesOf(p: JWTPayload): string[] {
  if (typeof p['scope'] === 'string') return p['scope'].split(' ').filter((s) => s !== '');
  if (Array.isArray(p['scp'])) return p['scp'].map(String);
  if (typeof p['scp'] === 'string') return p['scp'].split(' ').filter((s) => s !== '');
  return [];
}

/** Claims as API Gateway passes them: every value a string, lists as `[a b]`. */
function stringClaims(p: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  return out;
}
