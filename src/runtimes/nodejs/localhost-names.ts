// Names under `localhost` are loopback (RFC 6761 §6.3), as curl and browsers treat them, but
// glibc's resolver does not know them. A function calls back the server by such names (a WebSocket
// API's `https://<api-id>.execute-api.localhost:<port>/<stage>` for @connections), so this runtime
// resolves them to the server's listen address, or loopback. Node.js built-ins only.
import dns from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/** The server's address as the function reaches it (AWS_ENDPOINT_URL's host when it is an IP). */
function serverAddress(): { address: string; family: 4 | 6 } {
  try {
    const host = new URL(process.env['AWS_ENDPOINT_URL'] ?? '').hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    if (family === 4 || family === 6) return { address: host, family };
  } catch {
    // no endpoint: loopback
  }
  return { address: '127.0.0.1', family: 4 };
}

export function resolveLocalhostNames(): void {
  const original = dns.lookup;
  const patched = function (this: unknown, hostname: string, options: unknown, callback?: unknown): void {
    if (typeof hostname !== 'string' || !/\.localhost\.?$/i.test(hostname)) {
      (original as (...a: unknown[]) => void).apply(this, [hostname, options, callback].filter((a) => a !== undefined));
      return;
    }
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = typeof options === 'object' && options !== null ? (options as dns.LookupOptions) : {};
    const { address, family } = serverAddress();
    process.nextTick(() => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family)));
  };
  (dns as { lookup: unknown }).lookup = patched;
}
