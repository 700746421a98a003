// Names under `localhost` are loopback (RFC 6761 §6.3), as curl and browsers treat them, but
// glibc's resolver does not know them. A function calls back the server by such names (a WebSocket
// API's `https://<api-id>.execute-api.localhost:<port>/<stage>` for @connections), so this runtime
// resolves them to the server's listen address, or loopback. Node.js built-ins only.
//
// Every lookup of Node.js (dns.lookup, dns.promises.lookup, and through them net, http and fetch)
// ends in the resolver binding's getaddrinfo: answering there leaves `node:dns` unloaded until the
// function's code loads it (~0.3 MB of an idle environment). Where that binding is not reachable
// without a warning, dns.lookup itself is wrapped.
import type dns from 'node:dns';
import { quietBinding } from './quiet-binding.js';
import { ipFamily } from './tcp-link.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;
type GetAddrInfo = (req: { oncomplete(err: number, addresses: string[]): void }, hostname: unknown, ...rest: unknown[]) => number;

const LOCALHOST_NAME = /\.localhost\.?$/i;

/** The server's address as the function reaches it (AWS_ENDPOINT_URL's host when it is an IP). */
function serverAddress(): { address: string; family: 4 | 6 } {
  try {
    const host = new URL(process.env['AWS_ENDPOINT_URL'] ?? '').hostname.replace(/^\[|\]$/g, '');
    const family = ipFamily(host);
    if (family !== 0) return { address: host, family };
  } catch {
    // no endpoint: loopback
  }
  return { address: '127.0.0.1', family: 4 };
}

export function resolveLocalhostNames(): void {
  if (!answerInResolver()) wrapLookup();
}

/** Answers `*.localhost` in the binding lib/dns.js calls; false where it cannot. */
function answerInResolver(): boolean {
  const cares = quietBinding('cares_wrap');
  if (cares === undefined) return false;
  const original = cares['getaddrinfo'];
  if (typeof original !== 'function' || typeof cares['GetAddrInfoReqWrap'] !== 'function') return false;
  const getaddrinfo: GetAddrInfo = function (this: unknown, req, hostname, ...rest) {
    if (typeof hostname !== 'string' || !LOCALHOST_NAME.test(hostname)) return Reflect.apply(original, this, [req, hostname, ...rest]) as number;
    const { address } = serverAddress();
    process.nextTick(() => req.oncomplete(0, [address]));
    return 0;
  };
  cares['getaddrinfo'] = getaddrinfo;
  return true;
}

function wrapLookup(): void {
  const module = require('node:dns') as typeof dns;
  const original = module.lookup;
  const patched = function (this: unknown, hostname: string, options: unknown, callback?: unknown): void {
    if (typeof hostname !== 'string' || !LOCALHOST_NAME.test(hostname)) {
      (original as (...a: unknown[]) => void).apply(this, [hostname, options, callback].filter((a) => a !== undefined));
      return;
    }
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = typeof options === 'object' && options !== null ? (options as dns.LookupOptions) : {};
    const { address, family } = serverAddress();
    process.nextTick(() => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family)));
  };
  (module as { lookup: unknown }).lookup = patched;
}
