/**
 * Lambda REQUEST authorizers on a WebSocket API's $connect route: identity sources from the
 * handshake's headers and query string (`route.request.header.X`, `route.request.querystring.X`),
 * the authorizer function given the CONNECT event with `type` and `methodArn`, and its IAM policy
 * answer judged as HTTP APIs judge it. What it returns in `context` reaches every route's event.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { functionOfUri, invokeWithin } from '../http/lambda-target.js';
import { policyOutcome, type LambdaAuthOutcome } from '../http/lambda-authorizer.js';
import type { AuthorizerRecord } from '../records.js';
import { connectEvent, type ConnectionFacts, type Handshake } from './events.js';
import type { InvokeDeps } from './integration.js';

const AUTHORIZER_TIMEOUT_MS = 10_000;

/** The identity values in order, or undefined when one is missing (then 401 without invoking). */
export function connectIdentity(sources: readonly string[], headers: IncomingHttpHeaders, query: string, stageVariables: Record<string, string>): string[] | undefined {
  const params = new URLSearchParams(query);
  const out: string[] = [];
  for (const source of sources) {
    const s = source.trim();
    let m = /^(?:route\.request|\$request)\.header\.(.+)$/i.exec(s);
    let v: string | undefined;
    if (m) {
      const h = headers[m[1]!.toLowerCase()];
      v = Array.isArray(h) ? h.join(',') : h;
    } else if ((m = /^(?:route\.request|\$request)\.querystring\.(.+)$/i.exec(s))) {
      v = params.get(m[1]!) ?? undefined;
    } else if ((m = /^\$?stageVariables\.(.+)$/.exec(s))) {
      v = stageVariables[m[1]!];
    }
    if (v === undefined || v === '') return undefined;
    out.push(v);
  }
  return out;
}

export async function authorizeConnect(d: InvokeDeps, a: AuthorizerRecord, facts: ConnectionFacts, h: Handshake & { headers: IncomingHttpHeaders }): Promise<LambdaAuthOutcome> {
  if (a.authorizerType !== 'REQUEST') return { ok: false, status: 500 };
  if (a.identitySource.length > 0 && !connectIdentity(a.identitySource, h.headers, h.query, facts.stageVariables)) return { ok: false, status: 401 };
  const methodArn = `arn:aws:execute-api:${d.account.region}:${d.account.accountId}:${facts.apiId}/${facts.stage}/$connect`;
  let ref;
  try {
    ref = functionOfUri(a.authorizerUri ?? '', d.account, facts.stageVariables);
  } catch {
    return { ok: false, status: 500 };
  }
  const event = { type: 'REQUEST', methodArn, ...connectEvent(facts, h, facts.connectedAt) };
  const out = await invokeWithin(d.invoker, d.clock, ref, event, AUTHORIZER_TIMEOUT_MS);
  // An authorizer that fails with the message `Unauthorized` refuses the caller (401), as on API Gateway.
  if (out.kind === 'failed' && out.errorMessage === 'Unauthorized') return { ok: false, status: 401 };
  if (out.kind !== 'ok') return { ok: false, status: 500 };
  try {
    return policyOutcome(JSON.parse(out.payload.toString('utf8')), methodArn);
  } catch {
    return { ok: false, status: 500 };
  }
}
