/**
 * One request through a deployed stage: match the method, authorize it, admit its API key, run the
 * integration (Lambda proxy or MOCK), map the answer. Failures are gateway responses, thrown.
 */
import { SignatureRefused, type Authenticator } from '../../../security/authenticator.js';
import type { Account } from '../../../wire/arn.js';
import type { Clock } from '../../../lib/clock.js';
import type { KeyService } from '../keys.js';
import type { DeploymentRecord, StageRecord } from '../model.js';
import { admitApiKey } from './api-keys.js';
import { contextVariables } from './access-log.js';
import type { Authorizers } from './authorizer.js';
import { callHttpTarget, httpTargetUrl } from './http-target.js';
import { functionOfUri, type LambdaCaller } from './lambda-target.js';
import { matchMethod, type MethodMatch } from './match.js';
import { mockAnswer } from './mock.js';
import { methodArn } from './policy.js';
import { proxyEvent, type AuthorizerContext, type EventContext } from './proxy-event.js';
import { proxyAnswer, type HttpAnswer } from './proxy-response.js';
import { header, type GatewayRequest } from './request.js';
import { Gateway } from './responses.js';
import type { UsageMeter } from './usage.js';
import { validateRequest } from './validation.js';

export interface PipelineDeps {
  account: Account;
  authenticator: Authenticator;
  keys: KeyService;
  meter: UsageMeter;
  authorizers: Authorizers;
  lambda: LambdaCaller;
  /** Integration timeouts of HTTP targets (real time unless a test says otherwise). */
  timers: Clock;
}

/** What the pipeline learnt on the way, for the access log (filled in even when it fails). */
export interface Trace {
  match?: MethodMatch;
  authorizer?: AuthorizerContext;
  integrationStatus?: number;
}

export async function runPipeline(deps: PipelineDeps, req: GatewayRequest, stage: StageRecord, deployment: DeploymentRecord, trace: Trace): Promise<HttpAnswer> {
  const api = deployment.api;
  const match = matchMethod(api, req.path, req.httpMethod);
  if (!match) throw Gateway.missingAuthenticationToken();
  trace.match = match;
  const { method } = match;
  const base: EventContext = { match, stageVariables: stage.variables, binaryMediaTypes: api.binaryMediaTypes };

  let usageIdentifierKey: string | undefined;
  if (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') {
    const authorizer = method.authorizerId !== undefined ? api.authorizers[method.authorizerId] : undefined;
    if (!authorizer) throw Gateway.internal();
    const arn = methodArn(deps.account.region, deps.account.accountId, req.apiId, req.stage, req.httpMethod, decodeURIComponentSafe(req.path));
    const requestEvent = () => {
      const { body: _b, isBase64Encoded: _i, ...rest } = proxyEvent(req, base);
      return rest;
    };
    const authorized = await deps.authorizers.authorize(authorizer, { req, methodArn: arn, stageVariables: stage.variables, requestEvent });
    base.authorizer = trace.authorizer = authorized.context;
    usageIdentifierKey = authorized.usageIdentifierKey;
  } else if (method.authorizationType === 'AWS_IAM') {
    base.caller = await signer(deps, req);
  }

  const methodKey = `${match.resource.path}/${match.method.httpMethod}`;
  // The method's own settings if the stage has them, else the stage's `*/*`; each has a bucket of its own.
  const settingsKey = [methodKey, methodKey.replace(/^\//, ''), '*/*'].find((k) => stage.methodSettings[k] !== undefined);
  const stageThrottle = settingsKey === undefined ? undefined : stage.methodSettings[settingsKey]!;
  const limits = stageThrottle && { rateLimit: stageThrottle.throttlingRateLimit, burstLimit: stageThrottle.throttlingBurstLimit };
  if (limits && !deps.meter.take(`stage/${req.apiId}/${req.stage}/${settingsKey}`, limits)) throw Gateway.throttled();
  if (method.apiKeyRequired) {
    const value = api.apiKeySource === 'AUTHORIZER' ? usageIdentifierKey : header(req, 'x-api-key');
    base.apiKey = await admitApiKey(deps.keys, deps.meter, value, { apiId: req.apiId, stage: req.stage, methodKey });
  }

  validateRequest(deployment, method, req, match.pathParameters);

  const integration = method.integration;
  if (!integration) throw Gateway.internal();
  switch (integration.type) {
    case 'AWS_PROXY': {
      const ref = functionOfUri(deps.account, integration.uri, stage.variables);
      const outcome = await deps.lambda.call(ref, proxyEvent(req, base), req.requestId, integration.timeoutInMillis);
      if (!outcome.ok) throw Gateway.badGateway();
      trace.integrationStatus = 200;
      return proxyAnswer(outcome.payload, header(req, 'accept'), api.binaryMediaTypes);
    }
    case 'MOCK': {
      const context = contextVariables(req, { resourcePath: match.resource.path, ...(base.authorizer ? { authorizer: base.authorizer } : {}) });
      return mockAnswer(integration, { req, context, stageVariables: stage.variables, pathParameters: match.pathParameters });
    }
    case 'HTTP_PROXY': {
      const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const url = httpTargetUrl(integration, match.pathParameters, stage.variables, query);
      const answer = await callHttpTarget(url, integration, req, deps.timers);
      trace.integrationStatus = answer.status;
      return answer;
    }
    default:
      // HTTP (non-proxy, with mapping templates) and non-proxy AWS integrations are not served by Selfless.
      throw Gateway.internal();
  }
}

/** Who signed an AWS_IAM method's request (for `execute-api`); unsigned, or signed wrongly, it is refused as AWS refuses it. */
async function signer(deps: PipelineDeps, req: GatewayRequest): Promise<{ accessKeyId: string; accountId: string }> {
  if (header(req, 'authorization') === undefined && !req.signable.query.includes('X-Amz-Signature=')) throw Gateway.missingAuthenticationToken();
  try {
    const principal = await deps.authenticator.authenticate(req.signable, { service: 'execute-api' });
    if (principal.accessKeyId === undefined) throw Gateway.missingAuthenticationToken();
    return { accessKeyId: principal.accessKeyId, accountId: principal.accountId ?? deps.account.accountId };
  } catch (err) {
    if (err instanceof SignatureRefused) throw Gateway.invalidSignature(err.message);
    throw err;
  }
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
