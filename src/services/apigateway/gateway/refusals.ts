/**
 * A refusal as the client gets it: the gateway response its owner set for its type (else DEFAULT_4XX
 * or DEFAULT_5XX, by its status), from the deployment being served. Status code, headers
 * (`gatewayresponse.header.*` from literals, the request, stage variables or `$context`) and body
 * template (`$context.error.message`, `messageString`, `responseType`) each fall back to API
 * Gateway's own answer when not set.
 */
import type { GatewayResponseRecord, RestApiRecord } from '../model.js';
import { header, queryParam } from './request.js';
import type { GatewayResponse } from './responses.js';
import { renderTemplate, type TemplateScope } from './templates.js';

export interface ShapedRefusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The response set for the type, else the family's default one (which also sets the status of the types it stands for). */
function responseFor(api: RestApiRecord, r: GatewayResponse): GatewayResponseRecord | undefined {
  const set = api.gatewayResponses ?? {};
  return set[r.responseType] ?? (r.status >= 500 ? set['DEFAULT_5XX'] : r.status >= 400 ? set['DEFAULT_4XX'] : undefined);
}

export function shapeRefusal(r: GatewayResponse, api?: RestApiRecord, scope?: TemplateScope): ShapedRefusal {
  const plain: ShapedRefusal = { status: r.status, headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': r.errorType }, body: r.body };
  const custom = api && responseFor(api, r);
  if (!custom || !scope) return plain;
  const shaped: ShapedRefusal = { ...plain, headers: { ...plain.headers }, status: custom.statusCode !== undefined ? Number(custom.statusCode) : r.status };
  const context = {
    ...scope.context,
    'error.message': r.text,
    'error.messageString': JSON.stringify(r.text),
    'error.responseType': r.responseType,
    status: shaped.status,
  };
  const full: TemplateScope = { ...scope, context };
  for (const [target, source] of Object.entries(custom.responseParameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    const value = name === undefined ? undefined : parameterValue(source, full);
    if (name !== undefined && value !== undefined) shaped.headers[name] = value;
  }
  const template = pickTemplate(custom.responseTemplates, header(scope.req, 'accept'));
  if (template) {
    shaped.headers['Content-Type'] = template.type;
    shaped.body = renderTemplate(template.template, full);
  }
  return shaped;
}

/** A mapping expression: `'literal'`, `method.request.header|querystring|path.<name>`, `stageVariables.<name>`, `context.<name>`. */
function parameterValue(source: string, scope: TemplateScope): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) {
    const [, where, name] = request;
    if (where === 'header') return header(scope.req, name!);
    if (where === 'querystring') return queryParam(scope.req, name!);
    return scope.pathParameters[name!];
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return scope.stageVariables[stageVariable[1]!];
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const v = scope.context[context[1]!];
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}

/** The template for the client's `Accept` type, else `application/json`, else the first. */
function pickTemplate(templates: Record<string, string>, accept: string | undefined): { type: string; template: string } | undefined {
  const entries = Object.entries(templates);
  if (entries.length === 0) return undefined;
  const wanted = accept?.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase()) ?? [];
  const found = entries.find(([t]) => wanted.includes(t.toLowerCase())) ?? entries.find(([t]) => t === 'application/json') ?? entries[0]!;
  return { type: found[0], template: found[1] };
}
