/**
 * MOCK integrations: the request template's `statusCode` picks the integration response whose
 * `selectionPattern` matches it (else the default one, with no pattern); that response's template is
 * the body and its `method.response.header.*` literals are the headers. Templates are rendered by
 * ./templates.ts (references replaced, no VTL directives).
 */
import type { IntegrationRecord, IntegrationResponseRecord } from '../model.js';
import type { HttpAnswer } from './proxy-response.js';
import { header } from './request.js';
import { Gateway } from './responses.js';
import { renderTemplate, type TemplateScope } from './templates.js';

export function mockAnswer(integration: IntegrationRecord, scope: TemplateScope): HttpAnswer {
  const requestTemplate = pickTemplate(integration.requestTemplates, header(scope.req, 'content-type'));
  const statusCode = requestTemplate === undefined ? 200 : mockStatus(renderTemplate(requestTemplate.template, scope));
  const response = selectResponse(Object.values(integration.integrationResponses), String(statusCode));
  if (!response) throw Gateway.internal();
  const chosen = pickTemplate(response.responseTemplates, header(scope.req, 'accept'));
  const headers: Record<string, string> = { 'Content-Type': chosen?.type ?? 'application/json' };
  for (const [target, source] of Object.entries(response.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    const literal = /^'(.*)'$/.exec(source)?.[1];
    if (name !== undefined && literal !== undefined) headers[name] = literal;
  }
  const body = chosen ? renderTemplate(chosen.template, { ...scope, context: { ...scope.context, status: Number(response.statusCode) } }) : '';
  return { status: Number(response.statusCode), headers, body: Buffer.from(body, 'utf8') };
}

/**
 * The `statusCode` a rendered request template asks for (200 when it names none). API Gateway reads it from
 * a JavaScript-like object too: `{statusCode:200}` with an unquoted key (the Serverless Framework's CORS
 * template) works on AWS, so it works here; text that is neither fails the request.
 */
function mockStatus(rendered: string): number {
  try {
    const code = (JSON.parse(rendered) as { statusCode?: unknown } | null)?.statusCode;
    return code === undefined ? 200 : Number(code);
  } catch {
    const loose = /^\s*\{\s*(?:(['"]?)statusCode\1\s*:\s*(['"]?)(\d+)\2\s*)?\}\s*$/.exec(rendered);
    if (!loose) throw Gateway.internal();
    return loose[3] === undefined ? 200 : Number(loose[3]);
  }
}

/** The response whose pattern matches the whole status, else the default (no pattern, or an empty one). */
export function selectResponse(responses: readonly IntegrationResponseRecord[], subject: string): IntegrationResponseRecord | undefined {
  for (const r of responses) {
    if (!r.selectionPattern) continue;
    try {
      if (new RegExp(`^(?:${r.selectionPattern})$`, 's').test(subject)) return r;
    } catch {
      // A pattern that is no regular expression matches nothing, as on AWS.
    }
  }
  return responses.find((r) => !r.selectionPattern);
}

/** The template for a media type (`application/json` if none is asked for or none fits, else the first). */
function pickTemplate(templates: Record<string, string> | undefined, mediaType: string | undefined): { type: string; template: string } | undefined {
  if (!templates) return undefined;
  const entries = Object.entries(templates);
  if (entries.length === 0) return undefined;
  const wanted = mediaType?.split(';')[0]?.trim().toLowerCase();
  const found = entries.find(([t]) => t.toLowerCase() === wanted) ?? entries.find(([t]) => t === 'application/json') ?? entries[0]!;
  return { type: found[0], template: found[1] };
}
