/**
 * Mapping templates and access log formats, without a VTL engine: references are replaced, directives
 * are not run. Replaced: `$context.<name>` (and `$context.identity.<name>`, `$context.authorizer.<key>`),
 * `$stageVariables.<name>`, `$input.params('<name>')` (path, then query string, then header),
 * `$input.body`, each also as `${...}`. Anything else (`#set`, `#if`, `$util`, `$input.path`) stays as written.
 */
import type { GatewayRequest } from './request.js';
import { header, queryParam } from './request.js';

export interface TemplateScope {
  req: GatewayRequest;
  /** `$context` as a flat map (`identity.sourceIp`, `authorizer.principalId`, `status`...). */
  context: Record<string, string | number | boolean | null | undefined>;
  stageVariables: Record<string, string>;
  pathParameters: Record<string, string>;
}

// Each reference, as `$ref` or `${ref}` (a brace is taken only when one was opened).
const INNER = String.raw`(context|stageVariables)\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)|input\.params\((['"])([^'"]*)\3\)|input\.body`;
const REFERENCE = new RegExp(String.raw`\$\{(?:${INNER})\}|\$(?:${INNER.replace('\\3', '\\7')})`, 'g');

export function renderTemplate(template: string, scope: TemplateScope): string {
  return template.replace(REFERENCE, (whole, ...groups: (string | undefined)[]) => {
    // Groups 1-4 for the braced form, 5-8 for the bare one.
    const [root, name, , param] = whole.startsWith('${') ? groups.slice(0, 4) : groups.slice(4, 8);
    if (root === 'context') return stringOf(scope.context[name!], whole);
    if (root === 'stageVariables') return stringOf(scope.stageVariables[name!], '');
    if (param !== undefined) return scope.pathParameters[param] ?? queryParam(scope.req, param) ?? header(scope.req, param) ?? '';
    return scope.req.body.toString('utf8');
  });
}

function stringOf(v: string | number | boolean | null | undefined, otherwise: string): string {
  if (v === undefined) return otherwise;
  return v === null ? '-' : String(v);
}
