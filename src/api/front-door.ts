/**
 * Where an HTTP request for a front door (a function URL, an API Gateway API) is told apart from an
 * AWS API call, before the router sees it. Each front door is reachable host-based, as on AWS, and
 * path-based for clients that cannot set a Host:
 *   <url-id>.lambda-url.<region>.localhost[:port]/<path>        /lambda-url/<url-id>/<path>
 *   <api-id>.execute-api[.<region>].localhost[:port]/<stage>/…  /_aws/execute-api/<api-id>/<stage>/…
 *                                                               /restapis/<api-id>/<stage>/_user_request_/…
 *   <custom domain name>[:port]/<mapping key>/…                /_aws/domain/<domain-name>/<mapping key>/…
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { memoByString } from '../lib/memo.js';
import type { Exchange } from './exchange.js';

export interface FrontDoorTarget {
  kind: 'lambda-url' | 'execute-api';
  /** The URL id or the API id. */
  id: string;
  /** The path as the API sees it, from its first `/` (for execute-api it begins with the stage, if any). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Whether the request was addressed by Host (the path is then exactly the client's). */
  hostBased: boolean;
  /** Set when the request came through a custom domain name, whose mapping chose the API and stage. */
  domain?: DomainTarget;
}

export interface DomainTarget {
  /** The custom domain name, lower-cased. */
  name: string;
  /** The mapping key that matched ('' for the root). */
  basePath: string;
  /** The mapping's stage; without one, the stage is the first segment of `path`. */
  stage?: string;
  /** The path as the client sent it on the domain, mapping key included (the Lambda event's `path` / `rawPath`). */
  clientPath: string;
}

/** Custom domain names: the API target a request on one goes to. */
export interface DomainRouter {
  /** `forbidden`: the domain exists but no mapping takes the path; undefined: no such domain. */
  route(domainName: string, path: string, query: string): Promise<FrontDoorTarget | 'forbidden' | undefined>;
}

const DOMAIN_PATH = /^\/_aws\/domain\/([^/]+)(\/.*)?$/i;
/** Hosts that are never a custom domain: IP literals and names without a dot. */
const PLAIN_HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]|[^.]*)$/i;

const LAMBDA_URL_HOST = /^([a-z0-9]+)\.lambda-url\.[a-z0-9-]+\.localhost(?::\d+)?$/i;
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api(?:\.[a-z0-9-]+)?\.localhost(?::\d+)?$/i;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Host patterns under each public host name (`--public-url`), beside `localhost`, which always works. */
export function hostPatterns(publicHosts: readonly string[]): { lambdaUrl: RegExp[]; executeApi: RegExp[] } {
  const names = [...new Set(publicHosts.map((h) => h.toLowerCase()).filter((h) => h !== 'localhost'))].map(escapeRe);
  return {
    lambdaUrl: [LAMBDA_URL_HOST, ...names.map((n) => new RegExp(`^([a-z0-9]+)\\.lambda-url\\.[a-z0-9-]+\\.${n}(?::\\d+)?$`, 'i'))],
    executeApi: [EXECUTE_API_HOST, ...names.map((n) => new RegExp(`^([a-z0-9]+)\\.execute-api(?:\\.[a-z0-9-]+)?\\.${n}(?::\\d+)?$`, 'i'))],
  };
}
const LOCALHOST_ONLY = hostPatterns([]);
const EXECUTE_API_PATH = /^\/_aws\/execute-api\/([a-z0-9]+)(\/.*)?$/i;
const LEGACY_REST_PATH = /^\/restapis\/([a-z0-9]+)\/([^/]+)\/_user_request_(\/.*)?$/i;
const LAMBDA_URL_PATH = /^\/lambda-url\/([a-z0-9]+)(\/.*)?$/i;

/** The front door a request is for, or undefined for an AWS API call or Selfless's own routes. */
export function frontDoorTarget(
  host: string | undefined,
  url: string,
  hosts = LOCALHOST_ONLY,
  byHost: (host: string) => HostTarget | undefined = (h) => hostTarget(h, hosts),
): FrontDoorTarget | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  const named = host === undefined ? undefined : byHost(host);
  if (named) return { kind: named.kind, id: named.id, path, query, hostBased: true };
  let m = LAMBDA_URL_PATH.exec(path);
  if (m) return { kind: 'lambda-url', id: m[1]!.toLowerCase(), path: m[2] ?? '/', query, hostBased: false };
  m = EXECUTE_API_PATH.exec(path);
  if (m) return { kind: 'execute-api', id: m[1]!.toLowerCase(), path: m[2] ?? '/', query, hostBased: false };
  m = LEGACY_REST_PATH.exec(path);
  if (m) return { kind: 'execute-api', id: m[1]!.toLowerCase(), path: `/${m[2]}${m[3] ?? '/'}`, query, hostBased: false };
  return undefined;
}

type HostTarget = Pick<FrontDoorTarget, 'kind' | 'id'>;

/** The front door a Host header names (`<id>.lambda-url.<region>.<host>`, `<id>.execute-api.<host>`), if any. */
function hostTarget(host: string, hosts: typeof LOCALHOST_ONLY): HostTarget | undefined {
  const byUrl = firstMatch(hosts.lambdaUrl, host);
  if (byUrl) return { kind: 'lambda-url', id: byUrl[1]!.toLowerCase() };
  const byApi = firstMatch(hosts.executeApi, host);
  if (byApi) return { kind: 'execute-api', id: byApi[1]!.toLowerCase() };
  return undefined;
}

function firstMatch(patterns: readonly RegExp[], host: string): RegExpExecArray | null {
  for (const p of patterns) {
    const m = p.exec(host);
    if (m) return m;
  }
  return null;
}

/**
 * One kind of front door. `serve` answers true when the id is its own (and then owns the response),
 * false when it is not, so that REST, HTTP and WebSocket APIs share the execute-api names.
 */
export interface FrontDoor {
  readonly kind: FrontDoorTarget['kind'];
  serve(ex: Exchange, target: FrontDoorTarget): Promise<boolean>;
  /** An HTTP upgrade (a WebSocket handshake): true when the id is its own (it then owns the socket). */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, target: FrontDoorTarget): Promise<boolean>;
}

/** Every front door of the server, asked in turn; none owning the id is API Gateway's 404 or Lambda's. */
export class FrontDoors {
  private readonly doors: FrontDoor[] = [];
  private readonly hosts: ReturnType<typeof hostPatterns>;
  /** Every request asks; the Host header nearly never changes. */
  private readonly byHost: (host: string) => HostTarget | undefined;

  /** `publicHosts`: host names front doors are named under besides `localhost` (from `--public-url`). */
  private readonly publicHosts: Set<string>;

  constructor(publicHosts: readonly string[] = []) {
    this.publicHosts = new Set(publicHosts.map((h) => h.toLowerCase()));
    this.hosts = hostPatterns(publicHosts);
    this.byHost = memoByString((host) => hostTarget(host, this.hosts));
    this.domainHost = memoByString((host) => {
      const name = host.replace(/:\d+$/, '').toLowerCase();
      return !PLAIN_HOST.test(name) && !this.publicHosts.has(name);
    });
  }

  /** Whether a Host could be a custom domain name (every request asks: remembered per Host). */
  private readonly domainHost: (host: string) => boolean;

  /** The front door a request is for, under this server's host names. */
  target(host: string | undefined, url: string): FrontDoorTarget | undefined {
    return frontDoorTarget(host, url, this.hosts, this.byHost);
  }

  /** Custom domain names, when API Gateway serves them. */
  domains: DomainRouter | undefined = undefined;

  /**
   * Whether a request that is no execute-api or function URL name may be for a custom domain name
   * (asked of the store, asynchronously): `/_aws/domain/…`, or a Host with a dot that is no IP and
   * not the server's own public name.
   */
  mayBeDomain(host: string | undefined, url: string): boolean {
    if (!this.domains) return false;
    if (url.startsWith('/_aws/domain/')) return true;
    return host !== undefined && this.domainHost(host);
  }

  /** The target of a request on a custom domain (see `mayBeDomain`). */
  async domainTarget(host: string | undefined, url: string): Promise<FrontDoorTarget | 'forbidden' | undefined> {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const m = DOMAIN_PATH.exec(path);
    // An unknown name in the path form is still API Gateway's answer to a name it does not serve.
    if (m) return (await this.domains?.route(m[1]!.toLowerCase(), m[2] ?? '/', query)) ?? 'forbidden';
    if (host === undefined) return undefined;
    return this.domains?.route(host.replace(/:\d+$/, '').toLowerCase(), path, query);
  }

  add(door: FrontDoor): void {
    this.doors.push(door);
  }

  /** Whether any front door is registered for the target's kind (else the request goes on as before). */
  has(kind: FrontDoorTarget['kind']): boolean {
    return this.doors.some((d) => d.kind === kind);
  }

  async serve(ex: Exchange, target: FrontDoorTarget): Promise<void> {
    for (const door of this.doors) {
      if (door.kind === target.kind && (await door.serve(ex, target))) return;
    }
    // As AWS answers a name that is no API or URL.
    ex.skipBody();
    ex.reply(404, { 'content-type': 'application/json' }, target.kind === 'lambda-url' ? '{"Message":null}' : '{"message":"Not Found"}', false);
  }

  /** An upgrade request for a front door: the door that owns the id takes the socket, else a 404. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: FrontDoorTarget): Promise<void> {
    for (const door of this.doors) {
      if (door.kind === target.kind && door.upgrade && (await door.upgrade(req, socket, head, target))) return;
    }
    refuseUpgrade(socket, 404, 'Not Found', target.kind === 'lambda-url' ? '{"Message":null}' : '{"message":"Not Found"}');
  }
}

/** API Gateway's answer to a custom domain request that no mapping takes. */
export function writeForbidden(ex: Exchange): void {
  ex.skipBody();
  ex.reply(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' }, '{"message":"Forbidden"}', false);
}

/** Answers an upgrade request that no door takes with a plain HTTP error, and hangs up. */
export function refuseUpgrade(socket: Duplex, status: number, text: string, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
