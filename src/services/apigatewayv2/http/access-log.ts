/**
 * A stage's access log: one line per request in the stage's format (`$context.requestId`,
 * `$context.status`...), written into the log group its DestinationArn names. CloudWatch Logs here
 * keys each group as services/logs/group-names.ts says.
 */
import type { LogSink } from '../../../telemetry/log-sink.js';
import { groupKey } from '../../logs/group-names.js';
import type { StageRecord } from '../records.js';
import { clfTime, type ApiRequest } from './request.js';

export interface AccessFacts {
  status: number;
  responseLength: number;
  routeKey: string;
  latencyMs: number;
  integrationStatus?: number;
  integrationError?: string;
  errorMessage?: string;
  authorizerError?: string;
}

export function accessLogLine(format: string, r: ApiRequest, f: AccessFacts): string {
  const vars: Record<string, string | number | undefined> = {
    requestId: r.requestId,
    extendedRequestId: r.requestId,
    apiId: r.apiId,
    stage: r.stage,
    httpMethod: r.method,
    path: r.rawPath,
    protocol: `HTTP/${r.ex.httpVersion}`,
    routeKey: f.routeKey,
    status: f.status,
    responseLength: f.responseLength,
    responseLatency: Math.round(f.latencyMs),
    requestTime: clfTime(r.time),
    requestTimeEpoch: r.time,
    domainName: r.domainName,
    domainPrefix: r.domainName.split('.')[0],
    'identity.sourceIp': r.sourceIp,
    'identity.userAgent': String(r.ex.headers['user-agent'] ?? ''),
    'integration.status': f.integrationStatus,
    integrationStatus: f.integrationStatus,
    'integration.error': f.integrationError,
    integrationErrorMessage: f.integrationError,
    'error.message': f.errorMessage,
    'authorizer.error': f.authorizerError,
  };
  return format.replace(/\$context\.([A-Za-z.]+[A-Za-z])/g, (whole, name: string) => {
    if (!(name in vars)) return '-';
    const v = vars[name];
    return v === undefined ? '-' : String(v);
  });
}

export function writeAccessLog(sink: LogSink, stage: StageRecord, r: ApiRequest, f: AccessFacts): void {
  const settings = stage.accessLogSettings;
  if (!settings?.destinationArn || !settings.format) return;
  const group = settings.destinationArn.split(':log-group:')[1]?.replace(/:\*$/, '');
  if (!group) return;
  const functionName = groupKey(group);
  sink.append({ functionName, stream: `${r.apiId}_${stage.stageName}`, requestId: null, lines: [{ timestamp: r.time, message: accessLogLine(settings.format, r, f) }] });
}
