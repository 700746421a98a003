/**
 * The execute-api front door of REST APIs, on plain node:http: an id that is none of the REST APIs is
 * left to the other doors (HTTP APIs share the names); a request to one is served from the deployment
 * its stage points at, never from the API as it is being edited.
 */
import { randomBytes } from 'node:crypto';
import type { FrontDoor, FrontDoorTarget } from '../../../api/front-door.js';
import type { Exchange } from '../../../api/exchange.js';
import type { Clock } from '../../../lib/clock.js';
import { newRequestId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/logger.js';
import type { StageRecord } from '../model.js';
import type { RestApiService } from '../rest-apis.js';
import type { StageService } from '../stages.js';
import { contextVariables, writeAccessLog, type AccessLogSink } from './access-log.js';
import { shapeRefusal, type ShapedRefusal } from './refusals.js';
import { runPipeline, type PipelineDeps, type Trace } from './pipeline.js';
import type { HttpAnswer } from './proxy-response.js';
import type { GatewayRequest } from './request.js';
import { Gateway, GatewayResponse, writeGatewayResponse, writeResponse, type Ids } from './responses.js';

/** API Gateway's limit on a request's payload. */
export const PAYLOAD_LIMIT = 10 * 1024 * 1024;

export interface RestApiDoorDeps extends PipelineDeps {
  apis: RestApiService;
  stages: StageService;
  clock: Clock;
  logger: Logger;
  accessLog: AccessLogSink;
}

export class RestApiDoor implements FrontDoor {
  readonly kind = 'execute-api' as const;

  constructor(private readonly deps: RestApiDoorDeps) {}

  async serve(ex: Exchange, target: FrontDoorTarget): Promise<boolean> {
    const slash = target.path.indexOf('/', 1);
    const stageName = safeDecode(slash === -1 ? target.path.slice(1) : target.path.slice(1, slash));
    // A stage found says the id is ours in one read; only a miss asks whether the API exists at all.
    const stage = stageName === '' ? undefined : await this.deps.stages.findStage(target.id, stageName);
    if (!stage && !(await this.deps.apis.exists(target.id))) return false;
    const ids: Ids = { requestId: newRequestId(), apigwId: randomBytes(10).toString('base64').slice(0, 15) + '=' };
    try {
      await this.handle(ex, target, ids, stageName, stage);
    } catch (err) {
      this.deps.logger.error('execute-api request failed', { api: target.id, error: (err as Error)?.stack ?? String(err) });
      if (!ex.answered) writeGatewayResponse(ex, ids, Gateway.internal());
      else ex.abort();
    }
    return true;
  }

  private async handle(ex: Exchange, target: FrontDoorTarget, ids: Ids, stageName: string, stage: StageRecord | undefined): Promise<void> {
    const slash = target.path.indexOf('/', 1);
    const path = slash === -1 ? '/' : target.path.slice(slash);
    if (stageName === '') return this.refuse(ex, ids, Gateway.missingAuthenticationToken());
    if (!stage) return this.refuse(ex, ids, Gateway.forbidden());
    const deployment = await this.deps.stages.deployment(target.id, stage.deploymentId);
    if (deployment.api.disableExecuteApiEndpoint && !target.domain) return this.refuse(ex, ids, Gateway.forbidden());

    let body: Buffer | undefined;
    try {
      body = await ex.body(PAYLOAD_LIMIT);
    } catch {
      // The rest of the body may be unread: this connection cannot carry another request (below, `body === undefined`).
    }
    const request = this.requestOf(ex, target, ids, stageName, path, body ?? Buffer.alloc(0));
    if (body === undefined) {
      const context = contextVariables(request, {});
      return writeGatewayResponse(ex, ids, shapeRefusal(Gateway.tooLarge(), deployment.api, { req: request, context, stageVariables: stage.variables, pathParameters: {} }), true);
    }
    const trace: Trace = {};
    let answer: HttpAnswer | undefined;
    let refusal: GatewayResponse | undefined;
    let shaped: ShapedRefusal | undefined;
    try {
      answer = await runPipeline(this.deps, request, stage, deployment, trace);
    } catch (err) {
      if (!(err instanceof GatewayResponse)) throw err;
      refusal = err;
      const context = contextVariables(request, { ...(trace.match ? { resourcePath: trace.match.resource.path } : {}), ...(trace.authorizer ? { authorizer: trace.authorizer } : {}) });
      shaped = shapeRefusal(err, deployment.api, { req: request, context, stageVariables: stage.variables, pathParameters: trace.match?.pathParameters ?? {} });
    }
    if (answer) writeResponse(ex, ids, answer.status, answer.headers, answer.body);
    else writeGatewayResponse(ex, ids, shaped!);
    writeAccessLog(
      this.deps.accessLog,
      stage,
      request,
      {
        status: answer?.status ?? shaped!.status,
        responseLength: answer?.body.length ?? Buffer.byteLength(shaped!.body),
        ...(trace.match ? { resourcePath: trace.match.resource.path } : {}),
        ...(refusal ? { errorMessage: refusal.message } : {}),
        ...(trace.integrationStatus !== undefined ? { integrationStatus: trace.integrationStatus } : {}),
      },
      trace.authorizer,
    );
  }

  /** The request as the pipeline sees it, read once from its exchange. */
  private requestOf(ex: Exchange, target: FrontDoorTarget, ids: Ids, stageName: string, path: string, body: Buffer): GatewayRequest {
    return {
      ...ids,
      apiId: target.id,
      stage: stageName,
      accountId: this.deps.account.accountId,
      httpMethod: ex.method,
      path,
      headers: withForwarding(pairs(ex.rawHeaders), ex),
      query: queryPairs(target.query),
      body,
      sourceIp: ex.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      protocol: `HTTP/${ex.httpVersion}`,
      ...(target.domain ? { clientPath: target.domain.clientPath } : {}),
      domainName: target.domain ? target.domain.name : target.hostBased ? String(ex.headers.host ?? '').replace(/:\d+$/, '') : `${target.id}.execute-api.${this.deps.account.region}.localhost`,
      timeEpoch: this.deps.clock.now(),
      signable: { method: ex.method, path: rawPath(ex.url), query: target.query, headers: ex.headers, body },
    };
  }

  /** An answer before the body is read: the body is drained, so the connection can be kept. */
  private refuse(ex: Exchange, ids: Ids, r: GatewayResponse): void {
    ex.skipBody();
    writeGatewayResponse(ex, ids, r);
  }
}

function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** The forwarding headers API Gateway adds in front of the integration, when the client sent none. */
function withForwarding(headers: [string, string][], ex: Exchange): [string, string][] {
  const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
  const out = [...headers];
  if (!has('x-forwarded-for')) out.push(['X-Forwarded-For', ex.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1']);
  if (!has('x-forwarded-port')) out.push(['X-Forwarded-Port', String(ex.localPort ?? '')]);
  if (!has('x-forwarded-proto')) out.push(['X-Forwarded-Proto', ex.encrypted ? 'https' : 'http']);
  return out;
}

function rawPath(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function queryPairs(query: string): [string, string][] {
  if (query === '') return [];
  return [...new URLSearchParams(query)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
