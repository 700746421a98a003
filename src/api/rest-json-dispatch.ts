/**
 * The REST-JSON pipeline (Lambda), whatever carried the request: pick the operation, authenticate,
 * decode the input, run the handler, encode the output; any error becomes the model's error shape.
 */
import { newRequestId } from '../lib/ids.js';
import type { Authenticator } from '../security/authenticator.js';
import { Errors } from '../wire/errors.js';
import type { ServiceModel } from '../wire/model.js';
import { decodeRestJsonInput, encodeRestJsonOutput, type HttpRequestParts, type HttpResponseParts } from '../wire/rest-json.js';
import type { Fail } from './http-response.js';
import type { ServiceBinding } from './http-server.js';

/** Operations sharing a method and path, told apart by a literal in the query (`?List=ALL`). */
export interface RestJsonRoute {
  method: string;
  /** As the model writes it: `/2015-03-31/functions/{FunctionName}/invocations`. */
  path: string;
  /** Those with a query literal first; the last one is the default. */
  candidates: readonly { name: string; query?: readonly [string, string] }[];
}

export interface Dispatched {
  requestId: string;
  parts: HttpResponseParts;
}

export type RestJsonDispatch = (route: RestJsonRoute, req: HttpRequestParts) => Promise<Dispatched>;

export function restJsonRoutes(model: ServiceModel): RestJsonRoute[] {
  const byKey = new Map<string, RestJsonRoute & { candidates: { name: string; query?: [string, string] }[] }>();
  for (const [name, op] of Object.entries(model.operations)) {
    const [path, literal] = op.http.requestUri.split('?') as [string, string | undefined];
    const key = `${op.http.method} ${path}`;
    const route = byKey.get(key) ?? { method: op.http.method, path, candidates: [] };
    route.candidates.push(literal ? { name, query: literal.split('=') as [string, string] } : { name });
    route.candidates.sort((a, b) => (b.query ? 1 : 0) - (a.query ? 1 : 0));
    byKey.set(key, route);
  }
  return [...byKey.values()];
}

export function restJsonDispatcher(binding: ServiceBinding, authenticator: Authenticator, fail: Fail): RestJsonDispatch {
  const { model, handlers } = binding;
  return async (route, req) => {
    const requestId = newRequestId();
    const chosen = route.candidates.find((c) => !c.query || req.query[c.query[0]] === c.query[1]) ?? route.candidates[route.candidates.length - 1]!;
    const op = model.operations[chosen.name]!;
    const handler = handlers[chosen.name];
    try {
      if (!handler) throw Errors.notImplemented(chosen.name);
      const principal = authenticator.authenticate(req.headers);
      const input = decodeRestJsonInput(model, op, req);
      const output = await handler(input, { requestId, principal });
      return { requestId, parts: encodeRestJsonOutput(model, op, output) };
    } catch (err) {
      return { requestId, parts: fail(err, model, false) };
    }
  };
}
