/**
 * Identity sources (`$request.header.Authorization`, `$request.querystring.token`,
 * `$context.<name>`, `$stageVariables.<name>`): the values an authorizer is given, and which it is cached by.
 */
import { queryParams, type ApiRequest } from './request.js';

/** The identity values, in order; undefined when one is missing (API Gateway then answers 401 at once). */
export function identityValues(sources: readonly string[], r: ApiRequest, stageVariables: Record<string, string>): string[] | undefined {
  const out: string[] = [];
  for (const source of sources) {
    const v = valueOf(source.trim(), r, stageVariables);
    if (v === undefined || v === '') return undefined;
    out.push(v);
  }
  return out;
}

function valueOf(source: string, r: ApiRequest, stageVariables: Record<string, string>): string | undefined {
  let m = /^\$request\.header\.(.+)$/i.exec(source);
  if (m) {
    const v = r.ex.headers[m[1]!.toLowerCase()];
    return Array.isArray(v) ? v.join(',') : v;
  }
  m = /^\$request\.querystring\.(.+)$/i.exec(source);
  if (m) return queryParams(r.query).joined[m[1]!];
  m = /^\$stageVariables\.(.+)$/.exec(source);
  if (m) return stageVariables[m[1]!];
  m = /^\$context\.(.+)$/.exec(source);
  if (m) {
    const context: Record<string, string> = { requestId: r.requestId, stage: r.stage, apiId: r.apiId, httpMethod: r.method, path: r.rawPath, 'identity.sourceIp': r.sourceIp };
    return context[m[1]!];
  }
  return undefined;
}
