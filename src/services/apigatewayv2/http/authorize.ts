/**
 * A route's authorization (NONE, JWT, CUSTOM Lambda, AWS_IAM), giving either what the integration
 * learns in `requestContext.authorizer`, or API Gateway's refusal.
 */
import type { Authenticator } from '../../../security/authenticator.js';
import type { AuthorizerRecord, RouteRecord } from '../records.js';
import type { RouteContext } from './events.js';
import { identityValues } from './identity.js';
import type { JwtAuthorizers } from './jwt-authorizer.js';
import type { LambdaAuthorizers } from './lambda-authorizer.js';
import type { ApiRequest } from './request.js';
import { Answers, type HttpAnswer } from './responses.js';

export interface Authorizers {
  jwt: JwtAuthorizers;
  lambda: LambdaAuthorizers;
  authenticator: Authenticator;
}

export type AuthResult = { ok: true; authorizer?: Record<string, unknown> } | { ok: false; answer: HttpAnswer; error: string };

export async function authorize(a: Authorizers, route: RouteRecord, authorizer: AuthorizerRecord | undefined, r: ApiRequest, c: RouteContext, v1: boolean): Promise<AuthResult> {
  switch (route.authorizationType) {
    case 'NONE':
      return { ok: true };
    case 'AWS_IAM': {
      const raw = r.ex.url;
      const q = raw.indexOf('?');
      if (typeof r.ex.headers['authorization'] !== 'string' && !raw.includes('X-Amz-Signature=')) return { ok: false, answer: Answers.forbidden(), error: 'Missing Authentication Token' };
      try {
        const p = await a.authenticator.authenticate({ method: r.method, path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: r.ex.headers, body: r.body }, { service: 'execute-api' });
        const iam = { accessKey: p.accessKeyId ?? null, accountId: p.accountId ?? c.accountId, callerId: p.accessKeyId ?? null, principalOrgId: null, userArn: null, userId: p.accessKeyId ?? null };
        return { ok: true, authorizer: { iam } };
      } catch (err) {
        return { ok: false, answer: Answers.forbidden(), error: (err as Error).message };
      }
    }
    case 'JWT': {
      if (!authorizer) return { ok: false, answer: Answers.internal(), error: 'no authorizer' };
      const identity = identityValues(authorizer.identitySource, r, c.stageVariables);
      if (!identity) return { ok: false, answer: Answers.unauthorized(), error: 'no token' };
      const out = await a.jwt.authorize(authorizer, identity[0]!, route.authorizationScopes);
      if (!out.ok) {
        const headers = { 'www-authenticate': out.wwwAuthenticate };
        return { ok: false, answer: out.status === 401 ? Answers.unauthorized(headers) : Answers.forbidden(headers), error: out.wwwAuthenticate };
      }
      const jwt = { claims: out.claims, scopes: out.scopes };
      return { ok: true, authorizer: v1 ? jwt : { jwt } };
    }
    case 'CUSTOM': {
      if (!authorizer) return { ok: false, answer: Answers.internal(), error: 'no authorizer' };
      let identity: string[] = [];
      if (authorizer.identitySource.length > 0) {
        const found = identityValues(authorizer.identitySource, r, c.stageVariables);
        if (!found) return { ok: false, answer: Answers.unauthorized(), error: 'missing identity source' };
        identity = found;
      }
      const out = await a.lambda.authorize(authorizer, r, c, identity);
      if (!out.ok) {
        const answer = out.status === 401 ? Answers.unauthorized() : out.status === 403 ? Answers.forbidden() : Answers.internal();
        return { ok: false, answer, error: out.status === 500 ? 'authorizer failed' : 'denied' };
      }
      return { ok: true, authorizer: { lambda: out.context } };
    }
  }
}
