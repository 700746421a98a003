/**
 * Lambda REQUEST authorizers of HTTP APIs: the authorizer function gets payload format 1.0 or 2.0
 * and answers with a simple response (`{isAuthorized, context}`, 2.0 with EnableSimpleResponses) or
 * an IAM policy (`{principalId, policyDocument, context}`) allowing `execute-api:Invoke` on the route's
 * ARN. Answers are cached for the TTL by the identity values.
 */
import { z } from 'zod';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { Account } from '../../../wire/arn.js';
import type { AuthorizerRecord } from '../records.js';
import { eventV1, eventV2, type RouteContext } from './events.js';
import { functionOfUri, invokeWithin } from './lambda-target.js';
import type { ApiRequest } from './request.js';

export type LambdaAuthOutcome = { ok: true; context: Record<string, unknown> } | { ok: false; status: 401 | 403 | 500 };

const AUTHORIZER_TIMEOUT_MS = 10_000;

const Context = z.record(z.string(), z.unknown()).nullish();
const Simple = z.looseObject({ isAuthorized: z.boolean(), context: Context });
const Statement = z.looseObject({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.union([z.string(), z.array(z.string())]),
});
const Policy = z.looseObject({
  principalId: z.string().optional(),
  policyDocument: z.looseObject({ Statement: z.union([Statement, z.array(Statement)]) }),
  context: Context,
});

export class LambdaAuthorizers {
  private readonly cache = new Map<string, { until: number; outcome: LambdaAuthOutcome }>();

  constructor(
    private readonly invoker: Invoker,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  /** ResetAuthorizersCache. */
  reset(apiId: string, stage: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${apiId}/${stage}/`)) this.cache.delete(key);
  }

  async authorize(a: AuthorizerRecord, r: ApiRequest, c: RouteContext, identity: string[]): Promise<LambdaAuthOutcome> {
    const ttl = (a.authorizerResultTtlInSeconds ?? 0) * 1000;
    const key = `${r.apiId}/${r.stage}/${a.authorizerId}/${JSON.stringify(identity)}`;
    const cached = ttl > 0 ? this.cache.get(key) : undefined;
    if (cached && cached.until > this.clock.now()) return cached.outcome;
    const outcome = await this.run(a, r, c, identity);
    // Only answers are cached, never failures to get one.
    if (ttl > 0 && (outcome.ok || outcome.status !== 500)) this.cache.set(key, { until: this.clock.now() + ttl, outcome });
    return outcome;
  }

  private async run(a: AuthorizerRecord, r: ApiRequest, c: RouteContext, identity: string[]): Promise<LambdaAuthOutcome> {
    const routeArn = `arn:aws:execute-api:${this.account.region}:${this.account.accountId}:${r.apiId}/${r.stage}/${r.method}${r.routePath}`;
    const v2 = a.authorizerPayloadFormatVersion === '2.0';
    const { version: _v, ...base } = v2 ? eventV2(r, c) : eventV1(r, c);
    const event = v2
      ? { version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, ...base }
      : { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: identity.join(','), authorizationToken: identity.join(','), ...base };
    let ref;
    try {
      ref = functionOfUri(a.authorizerUri ?? '', this.account, c.stageVariables);
    } catch {
      return { ok: false, status: 500 };
    }
    const out = await invokeWithin(this.invoker, this.clock, ref, event, AUTHORIZER_TIMEOUT_MS);
    // An authorizer that fails with the message `Unauthorized` refuses the caller (401), as on API Gateway.
    if (out.kind === 'failed' && out.errorMessage === 'Unauthorized') return { ok: false, status: 401 };
    if (out.kind !== 'ok') return { ok: false, status: 500 };
    let result: unknown;
    try {
      result = JSON.parse(out.payload.toString('utf8'));
    } catch {
      return { ok: false, status: 500 };
    }
    if (v2 && a.enableSimpleResponses) {
      const simple = Simple.safeParse(result);
      if (!simple.success) return { ok: false, status: 500 };
      return simple.data.isAuthorized ? { ok: true, context: simple.data.context ?? {} } : { ok: false, status: 403 };
    }
    return policyOutcome(result, routeArn);
  }
}

/** An IAM policy answer (`{principalId, policyDocument, context}`) for `routeArn`: allowed with its context, or 403; 500 if unreadable. */
export function policyOutcome(result: unknown, routeArn: string): LambdaAuthOutcome {
  const policy = Policy.safeParse(result);
  if (!policy.success) return { ok: false, status: 500 };
  const statements = [policy.data.policyDocument.Statement].flat();
  const applies = (s: z.infer<typeof Statement>) =>
    [s.Action].flat().some((x) => x === '*' || x === 'execute-api:*' || x === 'execute-api:Invoke') && [s.Resource].flat().some((res) => arnMatches(res, routeArn));
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return { ok: false, status: 403 };
  if (!statements.some((s) => s.Effect === 'Allow' && applies(s))) return { ok: false, status: 403 };
  return { ok: true, context: { ...(policy.data.context ?? {}), ...(policy.data.principalId !== undefined ? { principalId: policy.data.principalId } : {}) } };
}

/** IAM's wildcards: `*` any run of characters, `?` one. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(arn);
}
