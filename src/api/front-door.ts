/**
 * Where an HTTP request for a front door (a function URL, an API Gateway API) is told apart from an
 * AWS API call, before the router sees it. Each front door is reachable host-based, as on AWS, and
 * path-based for clients that cannot set a Host:
 *   <url-id>.lambda-url.<region>.localhost[:port]/<path>        /lambda-url/<url-id>/<path>
 *   <api-id>.execute-api[.<region>].localhost[:port]/<stage>/…  /_aws/execute-api/<api-id>/<stage>/…
 *                                                               /restapis/<api-id>/<stage>/_user_request_/…
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { memoByString } from '../lib/memo.js';

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
}

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
  if (named) return { ...named, path, query, hostBased: true };
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
  serve(req: IncomingMessage, res: ServerResponse, target: FrontDoorTarget): Promise<boolean>;
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
  constructor(publicHosts: readonly string[] = []) {
    this.hosts = hostPatterns(publicHosts);
    this.byHost = memoByString((host) => hostTarget(host, this.hosts));
  }

  /** The front door a request is for, under this server's host names. */
  target(host: string | undefined, url: string): FrontDoorTarget | undefined {
    return frontDoorTarget(host, url, this.hosts, this.byHost);
  }

  add(door: FrontDoor): void {
    this.doors.push(door);
  }

  /** Whether any front door is registered for the target's kind (else the request goes on as before). */
  has(kind: FrontDoorTarget['kind']): boolean {
    return this.doors.some((d) => d.kind === kind);
  }

  async serve(req: IncomingMessage, res: ServerResponse, target: FrontDoorTarget): Promise<void> {
    for (const door of this.doors) {
      if (door.kind === target.kind && (await door.serve(req, res, target))) return;
    }
    // As AWS answers a name that is no API or URL.
    const body = target.kind === 'lambda-url' ? '{"Message":null}' : '{"message":"Not Found"}';
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** An upgrade request for a front door: the door that owns the id takes the socket, else a 404. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: FrontDoorTarget): Promise<void> {
    for (const door of this.doors) {
      if (door.kind === target.kind && door.upgrade && (await door.upgrade(req, socket, head, target))) return;
    }
    refuseUpgrade(socket, 404, 'Not Found', target.kind === 'lambda-url' ? '{"Message":null}' : '{"message":"Not Found"}');
  }
}

/** Answers an upgrade request that no door takes with a plain HTTP error, and hangs up. */
export function refuseUpgrade(socket: Duplex, status: number, text: string, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
