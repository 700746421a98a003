/**
 * The routes of REST services, from each operation's `requestUri` in the model, as a tree of path
 * segments: a request's path is matched in one walk, literal segments before labels, so Invoke costs
 * the same whatever the number of routes.
 */
import { memoByString } from '../../lib/memo.js';
import { signingNameOf, type Operation, type ServiceModel } from '../model.js';

/** Operations sharing a method and path, told apart by a literal in the query (`?List=ALL`). */
interface Route {
  model: ServiceModel;
  /** Those with a query literal first; the last one is the default. */
  candidates: { operation: Operation; query?: readonly [string, string] }[];
  labels: readonly string[];
  /** Another service's operations on the same method and path (`/tags/{arn}`: Scheduler and API Gateway), told apart by signing name. */
  others?: Route[];
}

interface Node {
  literal: Map<string, Node>;
  label?: Node;
  /** Greedy label (`{Key+}`): the rest of the path, slashes included. */
  greedy?: Map<string, Route>;
  routes: Map<string, Route>;
}

export interface RouteMatch {
  readonly route: Route;
  /** Label values as they came, still percent-encoded, in the order of `route.labels`. */
  readonly values: readonly string[];
}

const node = (): Node => ({ literal: new Map(), routes: new Map() });

export class RestRoutes {
  private readonly root = node();
  /** The same method, path and service find the same route: Invoke's path is walked once, not on every call. */
  private readonly remembered = memoByString((key: string) => {
    const a = key.indexOf(' ');
    const b = key.indexOf(' ', a + 1);
    const service = key.slice(a + 1, b);
    return this.find(key.slice(0, a), key.slice(b + 1), service === '' ? undefined : service);
  });

  constructor(models: readonly ServiceModel[]) {
    for (const model of models) for (const operation of Object.values(model.operations)) this.add(model, operation);
  }

  private add(model: ServiceModel, operation: Operation): void {
    const [path, literal] = operation.http.requestUri.split('?') as [string, string | undefined];
    const segments = path.split('/').slice(1);
    const labels: string[] = [];
    let at = this.root;
    let table = at.routes;
    for (const segment of segments) {
      const label = /^\{([\w-]+)(\+?)\}$/.exec(segment); // API Gateway names labels `{resource-arn}`
      if (label?.[2]) {
        labels.push(label[1]!);
        table = at.greedy ??= new Map();
        break;
      }
      if (label) {
        labels.push(label[1]!);
        at = at.label ??= node();
      } else {
        at = at.literal.get(segment) ?? at.literal.set(segment, node()).get(segment)!;
      }
      table = at.routes;
    }
    const key = operation.http.method;
    const first = table.get(key);
    let route = first ?? { model, candidates: [], labels };
    if (first && first.model !== model) {
      first.others ??= [];
      route = first.others.find((r) => r.model === model) ?? { model, candidates: [], labels };
      if (!first.others.includes(route)) first.others.push(route);
    }
    route.candidates.push(literal ? { operation, query: literal.split('=') as [string, string] } : { operation });
    route.candidates.sort((a, b) => (b.query ? 1 : 0) - (a.query ? 1 : 0));
    if (!first) table.set(key, route);
  }

  /** `service`, the request's signing name, picks among services sharing a route. */
  match(method: string, path: string, service?: string): RouteMatch | undefined {
    if (path.charCodeAt(0) !== 47 /* / */) return undefined;
    // Neither a method nor a signing name holds a space; the path is the rest of the key.
    return this.remembered(`${method} ${service ?? ''} ${path}`);
  }

  private find(method: string, path: string, service: string | undefined): RouteMatch | undefined {
    const values: string[] = [];
    const route = walk(this.root, path.split('/'), 1, method, values);
    if (!route) return undefined;
    const chosen = route.others && service !== undefined ? ([route, ...route.others].find((r) => signingNameOf(r.model) === service) ?? route) : route;
    return { route: chosen, values };
  }
}

function walk(at: Node, segments: string[], i: number, method: string, values: string[]): Route | undefined {
  if (i === segments.length) return at.routes.get(method);
  const segment = segments[i]!;
  const literal = at.literal.get(segment);
  if (literal) {
    const found = walk(literal, segments, i + 1, method, values);
    if (found) return found;
  }
  if (segment !== '' && at.label) {
    values.push(segment);
    const found = walk(at.label, segments, i + 1, method, values);
    if (found) return found;
    values.pop();
  }
  const greedy = at.greedy?.get(method);
  if (greedy && segment !== '') {
    values.push(segments.slice(i).join('/'));
    return greedy;
  }
  return undefined;
}

/** The operation of a matched route: the candidate whose query literal the request carries, else the default. */
export function operationOf(route: Route, query: Readonly<Record<string, string | string[] | undefined>>): Operation {
  const chosen = route.candidates.find((c) => !c.query || query[c.query[0]] === c.query[1]) ?? route.candidates[route.candidates.length - 1]!;
  return chosen.operation;
}
