/**
 * WebSocket route selection: the API's RouteSelectionExpression (`$request.body.action`, any
 * `$request.body.<path>`, or `${request.body.<path>}` within literal text) evaluated on a JSON
 * message gives a route key; a message that is not JSON, lacks the property, or names no route goes
 * to `$default`, and with no `$default` there is no route (API Gateway then answers Forbidden).
 */

const REFERENCE = /\$\{request\.body\.([^}]+)\}|\$request\.body\.([A-Za-z0-9_.$-]+)/g;

/** The key the expression selects for this message body, or undefined if it cannot be evaluated. */
export function evaluateSelection(expression: string, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  let missing = false;
  let referenced = false;
  const key = expression.replace(REFERENCE, (_m, braced: string | undefined, bare: string | undefined) => {
    referenced = true;
    const v = valueAt(parsed, (braced ?? bare)!);
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return !referenced || missing ? undefined : key;
}

function valueAt(doc: unknown, path: string): string | undefined {
  let at: unknown = doc;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  if (typeof at === 'string') return at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return undefined;
}

/** The route a message goes to: the selected key if it is a message route, else `$default`, else none. */
export function selectRoute(expression: string, body: string | undefined, routeKeys: ReadonlySet<string>): string | undefined {
  const key = body === undefined ? undefined : evaluateSelection(expression, body);
  if (key !== undefined && key !== '$connect' && key !== '$disconnect' && routeKeys.has(key)) return key;
  return routeKeys.has('$default') ? '$default' : undefined;
}
