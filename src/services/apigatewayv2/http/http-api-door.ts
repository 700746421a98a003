/**
 * HTTP APIs' data plane, the execute-api front door for APIs of protocol HTTP (REST and WebSocket
 * APIs answer the same names through their own doors: `serve` is false for any other id). A request
 * goes: stage, CORS preflight, route, throttle, authorizer, Lambda proxy integration, answer, access log.
 */
import type { FrontDoor, FrontDoorTarget } from '../../../api/front-door.js';
import type { Exchange } from '../../../api/exchange.js';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { LogSink } from '../../../telemetry/log-sink.js';
import type { Account } from '../../../wire/arn.js';
import { matchRoute } from '../route-key.js';
import { writeAccessLog, type AccessFacts } from './access-log.js';
import { authorize, type Authorizers } from './authorize.js';
import { corsAnswerHeaders, corsPreflight } from './cors.js';
import { Deployments, type DeployedApi } from './deployed.js';
import type { StageRecord } from '../records.js';
import { eventV1, eventV2, type RouteContext } from './events.js';
import { JwtAuthorizers } from './jwt-authorizer.js';
import { LambdaAuthorizers } from './lambda-authorizer.js';
import { functionOfUri, invokeWithin } from './lambda-target.js';
import { newApiRequestId, type ApiRequest } from './request.js';
import { Answers, mapResultV1, mapResultV2, writeAnswer, type HttpAnswer } from './responses.js';
import { Throttle } from './throttle.js';
import { proxyHttp } from './http-proxy.js';

/** HTTP APIs take request bodies up to 10 MB. */
const MAX_BODY = 10 * 1024 * 1024;

export interface HttpApiDoorDeps {
  store: ApiGatewayV2Store;
  invoker: Invoker;
  authenticator: Authenticator;
  clock: Clock;
  logger: Logger;
  account: Account;
  /** Where access logs go (CloudWatch Logs' store). */
  logs: LogSink;
}

export class HttpApiDoor implements FrontDoor {
  readonly kind = 'execute-api' as const;
  private readonly deployments: Deployments;
  private readonly throttle: Throttle;
  private readonly authorizers: Authorizers;

  constructor(private readonly d: HttpApiDoorDeps) {
    this.deployments = new Deployments(d.store);
    this.throttle = new Throttle(d.clock);
    this.authorizers = { jwt: new JwtAuthorizers(d.clock), lambda: new LambdaAuthorizers(d.invoker, d.clock, d.account), authenticator: d.authenticator };
  }

  /** ResetAuthorizersCache. */
  resetAuthorizerCache(apiId: string, stage: string): void {
    this.authorizers.lambda.reset(apiId, stage);
  }

  async serve(ex: Exchange, target: FrontDoorTarget): Promise<boolean> {
    const api = (await this.d.store.apis.get(target.id))?.value;
    if (!api || api.protocolType !== 'HTTP') return false;
    const requestId = newApiRequestId();
    const started = this.d.clock.monotonic();
    const head = { 'apigw-requestid': requestId };
    const mapped = target.domain?.stage;
    const selected =
      mapped !== undefined
        ? await this.deployments.mappedStage(api.apiId, mapped, target.path.slice(mapped.length + 1) || '/')
        : api.disableExecuteApiEndpoint
          ? undefined
          : await this.deployments.selectStage(api.apiId, target.path);
    const deployed = selected?.stage.deploymentId ? await this.deployments.deployed(api.apiId, selected.stage.deploymentId) : undefined;
    if (!selected || !deployed) {
      // Drain what the client sends, so that the connection can carry its next request.
      ex.skipBody();
      writeAnswer(ex, api.disableExecuteApiEndpoint && !target.domain ? Answers.forbidden() : Answers.notFound(), head, false);
      return true;
    }
    const { stage, routePath } = selected;
    let body: Buffer;
    try {
      body = await ex.body(MAX_BODY);
    } catch {
      writeAnswer(ex, Answers.tooLarge(), head, true);
      return true;
    }
    const r: ApiRequest = {
      ex,
      method: ex.method,
      rawPath: target.domain ? target.domain.clientPath : target.path,
      routePath,
      query: target.query,
      body,
      apiId: api.apiId,
      stage: stage.stageName,
      requestId,
      time: this.d.clock.now(),
      sourceIp: (ex.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      domainName: target.domain ? target.domain.name : String(ex.headers.host ?? 'localhost').replace(/:\d+$/, ''),
    };
    const facts: Partial<AccessFacts> = { routeKey: '-' };
    let answer: HttpAnswer;
    let cors: Record<string, string> = {};
    try {
      const pre = corsPreflight(deployed.cors, r.method, ex.headers);
      if (pre) answer = { status: 204, headers: pre, body: '' };
      else {
        cors = corsAnswerHeaders(deployed.cors, ex.headers);
        answer = await this.route(r, deployed, stage, facts);
      }
    } catch (err) {
      this.d.logger.error('HTTP API request failed', { apiId: api.apiId, error: (err as Error)?.stack ?? String(err) });
      answer = Answers.internal();
    }
    // API Gateway's CORS headers replace those the integration set.
    // Merged with Object.assign, not spreads: on Node.js 20 every object that a spread begins and more properties follow gets a hidden class of its own.
    const length = writeAnswer(ex, answer, Object.assign({}, cors, head), false);
    writeAccessLog(this.d.logs, stage, r, Object.assign({}, facts, { routeKey: facts.routeKey ?? '-', status: answer.status, responseLength: length, latencyMs: this.d.clock.monotonic() - started }));
    return true;
  }

  private async route(r: ApiRequest, deployed: DeployedApi, stage: StageRecord, facts: Partial<AccessFacts>): Promise<HttpAnswer> {
    const match = matchRoute(deployed.routes, r.method, r.routePath);
    if (!match) return Answers.notFound();
    const route = match.route;
    facts.routeKey = route.routeKey;
    if (!this.throttle.admit(`${r.apiId}/${stage.stageName}/${route.routeKey}`, stage.routeSettings?.[route.routeKey] ?? stage.defaultRouteSettings)) return Answers.throttled();
    const integrationId = /^integrations\/(.+)$/.exec(route.target ?? '')?.[1];
    const integration = integrationId === undefined ? undefined : deployed.integrations.get(integrationId);
    if (!integration) return Answers.notFound();
    const v1 = integration.payloadFormatVersion === '1.0';
    const c: RouteContext = { routeKey: route.routeKey, pathParameters: match.pathParameters, stageVariables: stage.stageVariables, accountId: this.d.account.accountId };
    const auth = await authorize(this.authorizers, route, route.authorizerId ? deployed.authorizers.get(route.authorizerId) : undefined, r, c, v1);
    if (!auth.ok) {
      facts.authorizerError = auth.error;
      return auth.answer;
    }
    if (auth.authorizer) c.authorizer = auth.authorizer;
    if (integration.integrationType === 'HTTP_PROXY') {
      const answer = await proxyHttp(integration, r, match.pathParameters);
      facts.integrationStatus = answer.status;
      return answer;
    }
    if (integration.integrationType !== 'AWS_PROXY') {
      facts.integrationError = `integration type ${integration.integrationType} is not supported`;
      this.d.logger.warn('HTTP API integration type not supported', { apiId: r.apiId, type: integration.integrationType });
      return Answers.internal();
    }
    let ref;
    try {
      ref = functionOfUri(integration.integrationUri ?? '', this.d.account, stage.stageVariables);
    } catch (err) {
      facts.integrationError = (err as Error).message;
      return Answers.internal();
    }
    const out = await invokeWithin(this.d.invoker, this.d.clock, ref, v1 ? eventV1(r, c) : eventV2(r, c), integration.timeoutInMillis);
    switch (out.kind) {
      case 'ok':
        facts.integrationStatus = 200;
        return v1 ? mapResultV1(out.payload) : mapResultV2(out.payload);
      case 'timeout':
        facts.integrationError = 'timeout';
        return Answers.timedOut();
      case 'throttled':
        facts.integrationError = 'throttled';
        return Answers.throttled();
      default:
        facts.integrationError = out.kind === 'missing' ? 'function not found' : 'function error';
        return Answers.internal();
    }
  }
}
