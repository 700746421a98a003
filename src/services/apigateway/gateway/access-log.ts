/**
 * Access logging per stage (its accessLogSettings): one line per request in the stage's format, its
 * `$context` variables replaced, handed to a sink with the destination's ARN.
 */
import type { LogSink } from '../../../telemetry/log-sink.js';
import { groupKey } from '../../logs/group-names.js';
import type { StageRecord } from '../model.js';
import type { GatewayRequest } from './request.js';
import { renderTemplate } from './templates.js';

/** Where a line goes: the destination's ARN, and the API, stage and time it belongs to. */
export type AccessLogSink = (destinationArn: string, line: string, at: { apiId: string; stage: string; time: number }) => void;

/**
 * Lines into the CloudWatch Logs group a destination ARN names (`arn:aws:logs:…:log-group:<name>[:*]`),
 * on a stream per API and stage; other destinations (Firehose) are not served and get nothing.
 */
export function logGroupAccessLog(sink: LogSink): AccessLogSink {
  return (destinationArn, line, at) => {
    const group = destinationArn.split(':log-group:')[1]?.replace(/:\*$/, '');
    if (!group) return;
    sink.append({ functionName: groupKey(group), stream: `${at.apiId}_${at.stage}`, requestId: null, lines: [{ timestamp: at.time, message: line }] });
  };
}

export interface Outcome {
  status: number;
  responseLength: number;
  resourcePath?: string;
  errorMessage?: string;
  principalId?: string;
  integrationStatus?: number;
}

/** `$context` as access logs and templates see it, flattened (`identity.sourceIp`, `authorizer.principalId`). */
export function contextVariables(req: GatewayRequest, o: Partial<Outcome> & { authorizer?: Record<string, unknown> }): Record<string, string | number | boolean | null | undefined> {
  const vars: Record<string, string | number | boolean | null | undefined> = {
    requestId: req.requestId,
    extendedRequestId: req.apigwId,
    apiId: req.apiId,
    stage: req.stage,
    httpMethod: req.httpMethod,
    path: req.clientPath ?? `/${req.stage}${req.path}`,
    protocol: req.protocol,
    domainName: req.domainName,
    requestTime: new Date(req.timeEpoch).toISOString(),
    requestTimeEpoch: req.timeEpoch,
    accountId: req.accountId,
    'identity.sourceIp': req.sourceIp,
    'identity.userAgent': req.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? null,
    resourcePath: o.resourcePath ?? null,
    status: o.status,
    responseLength: o.responseLength,
    'error.message': o.errorMessage ?? null,
    integrationStatus: o.integrationStatus ?? null,
  };
  for (const [k, v] of Object.entries(o.authorizer ?? {})) vars[`authorizer.${k}`] = v as string;
  return vars;
}

export function writeAccessLog(sink: AccessLogSink, stage: StageRecord, req: GatewayRequest, outcome: Outcome, authorizer?: Record<string, unknown>): void {
  const settings = stage.accessLogSettings;
  if (!settings?.destinationArn || !settings.format) return;
  const line = renderTemplate(settings.format, { req, context: contextVariables(req, { ...outcome, ...(authorizer ? { authorizer } : {}) }), stageVariables: stage.variables, pathParameters: {} });
  sink(settings.destinationArn, line, { apiId: req.apiId, stage: req.stage, time: req.timeEpoch });
}
