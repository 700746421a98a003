/**
 * Lambda authorizers (TOKEN and REQUEST). The identity sources must all be present (else 401 without
 * calling the function); a TOKEN's identityValidationExpression must match. The function's policy is
 * cached by authorizer and identity for authorizerResultTtlInSeconds and evaluated against each
 * request's method ARN, as AWS does; its principalId and context reach `requestContext.authorizer`.
 */
import { z } from 'zod';
import type { Clock } from '../../../lib/clock.js';
import type { Account } from '../../../wire/arn.js';
import type { AuthorizerRecord } from '../model.js';
import type { LambdaCaller } from './lambda-target.js';
import { functionOfUri } from './lambda-target.js';
import { evaluatePolicy, PolicyDocumentSchema } from './policy.js';
import type { AuthorizerContext } from './proxy-event.js';
import { header, queryParam, type GatewayRequest } from './request.js';
import { Gateway } from './responses.js';

const AuthorizerResult = z.looseObject({
  principalId: z.union([z.string(), z.number()]).optional(),
  policyDocument: PolicyDocumentSchema,
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable().optional(),
  usageIdentifierKey: z.string().optional(),
});
type Result = z.infer<typeof AuthorizerResult>;

export interface Authorized {
  context: AuthorizerContext;
  /** The API key the authorizer chose (the API's apiKeySource is AUTHORIZER). */
  usageIdentifierKey?: string;
}

export interface AuthorizerRequest {
  req: GatewayRequest;
  methodArn: string;
  stageVariables: Record<string, string>;
  /** The REQUEST authorizer's event: the proxy event's fields. */
  requestEvent: () => Record<string, unknown>;
}

const AUTHORIZER_TIMEOUT_MS = 10_000;

export class Authorizers {
  private readonly cache = new Map<string, { result: Result; expires: number }>();

  constructor(
    private readonly caller: LambdaCaller,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  async authorize(authorizer: AuthorizerRecord, r: AuthorizerRequest): Promise<Authorized> {
    if (authorizer.type === 'COGNITO_USER_POOLS') throw Gateway.unauthorized(); // not served: no user pools here
    const identity = identityOf(authorizer, r);
    if (identity === undefined) throw Gateway.unauthorized();
    if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression) {
      if (!new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(identity[0]!)) throw Gateway.unauthorized();
    }
    const key = `${r.req.apiId}/${authorizer.id}/${JSON.stringify(identity)}`;
    const now = this.clock.now();
    const cached = this.cache.get(key);
    let result: Result;
    if (cached && cached.expires > now) result = cached.result;
    else {
      result = await this.invoke(authorizer, r, identity);
      const ttl = authorizer.authorizerResultTtlInSeconds;
      if (ttl > 0 && identity.length > 0) this.cache.set(key, { result, expires: now + ttl * 1000 });
    }
    const decision = evaluatePolicy(result.policyDocument, r.methodArn);
    if (decision === 'explicit-deny') throw Gateway.explicitDeny();
    if (decision === 'implicit-deny') throw Gateway.implicitDeny();
    const context: AuthorizerContext = {};
    // REST APIs hand the context on as strings, numbers and booleans; null values are dropped.
    for (const [k, v] of Object.entries(result.context ?? {})) if (v !== null) context[k] = v;
    if (result.principalId !== undefined) context['principalId'] = String(result.principalId);
    context['integrationLatency'] = 0;
    return { context, ...(result.usageIdentifierKey !== undefined ? { usageIdentifierKey: result.usageIdentifierKey } : {}) };
  }

  private async invoke(authorizer: AuthorizerRecord, r: AuthorizerRequest, identity: string[]): Promise<Result> {
    const ref = functionOfUri(this.account, authorizer.authorizerUri, r.stageVariables);
    const event =
      authorizer.type === 'TOKEN'
        ? { type: 'TOKEN', authorizationToken: identity[0], methodArn: r.methodArn }
        : { type: 'REQUEST', methodArn: r.methodArn, ...r.requestEvent() };
    let outcome;
    try {
      outcome = await this.caller.call(ref, event, r.req.requestId, AUTHORIZER_TIMEOUT_MS);
    } catch {
      throw Gateway.authorizerFailure();
    }
    if (!outcome.ok) {
      // `throw new Error('Unauthorized')` (or callback('Unauthorized')) is how a function says 401.
      const message = errorMessageOf(outcome.payload);
      throw message === 'Unauthorized' ? Gateway.unauthorized() : Gateway.authorizerFailure();
    }
    try {
      return AuthorizerResult.parse(JSON.parse(outcome.payload.toString('utf8')));
    } catch {
      throw Gateway.authorizerFailure();
    }
  }
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    return (JSON.parse(payload.toString('utf8')) as { errorMessage?: string }).errorMessage;
  } catch {
    return undefined;
  }
}

/**
 * The identity source values, or undefined when one is missing. A REQUEST authorizer with caching off
 * may have none at all.
 */
function identityOf(authorizer: AuthorizerRecord, r: AuthorizerRequest): string[] | undefined {
  const sources = (authorizer.identitySource ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const values: string[] = [];
  for (const source of sources) {
    let v: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^method\.request\.header\.(.+)$/.exec(source))) v = header(r.req, m[1]!);
    else if ((m = /^method\.request\.querystring\.(.+)$/.exec(source))) v = queryParam(r.req, m[1]!);
    else if ((m = /^stageVariables\.(.+)$/.exec(source))) v = r.stageVariables[m[1]!];
    else if ((m = /^context\.(.+)$/.exec(source))) v = m[1] === 'httpMethod' ? r.req.httpMethod : m[1] === 'stage' ? r.req.stage : undefined;
    if (v === undefined || v === '') return undefined;
    values.push(v);
  }
  if (authorizer.type === 'TOKEN' && values.length === 0) return undefined;
  return values;
}
