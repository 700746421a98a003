/**
 * One Runtime API endpoint per execution environment, on its own loopback port: the address in
 * that environment's AWS_LAMBDA_RUNTIME_API, so every call is known to come for that environment.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeResponse, Http1Connection, writeResponse } from './http1.js';
import { ACCEPTED, MAX_RESPONSE_BYTES } from './rendering.js';
import { route, streamBody, type RuntimeApiHandler } from './routes.js';
import { carriesToken, newRuntimeToken, readFirstHead } from './runtime-token.js';

const JSON_HEADER = 'Content-Type: application/json\r\n';
const ACCEPTED_BYTES = encodeResponse(ACCEPTED.status, JSON_HEADER, ACCEPTED.body);

export interface RuntimeApiEndpoint {
  /** host:port, as AWS_LAMBDA_RUNTIME_API carries it. */
  readonly address: string;
  /** Admits at once a connection whose first request carries it (./runtime-token.ts): for the environment's process only. */
  readonly token: string;
  /** Hands the endpoint to another handler (a pre-started runtime becoming a function's environment). */
  setHandler(next: RuntimeApiHandler): void;
  close(): void;
}

/**
 * `admit`, when given, decides whether a new connection may speak to this endpoint (its client must
 * belong to the environment) unless its first request carries the endpoint's token; the connection's
 * bytes wait unparsed until it is admitted.
 */
export async function startRuntimeApi(
  host: string,
  initial: RuntimeApiHandler,
  admit?: (clientPort: number, serverPort: number) => Promise<boolean>,
): Promise<RuntimeApiEndpoint> {
  let handler = initial;
  const token = newRuntimeToken();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!admit) return serve(socket);
    socket.pause();
    void readFirstHead(socket).then(async (head) => {
      if (head === undefined) return socket.destroy();
      if (carriesToken(head, token)) return serve(socket);
      const ok = await admit(socket.remotePort ?? 0, socket.localPort ?? 0).catch(() => false);
      return ok ? serve(socket) : socket.destroy();
    });
  });
  const serve = (socket: Socket) => {
    /** The poll this connection holds open, if any: withdrawn if the runtime closes it. */
    let open: ((headers: string, body: Buffer) => boolean) | undefined;
    /**
     * A 202 not yet written: the runtime pipelined its next request behind the one it answers (the
     * Node.js bootstrap posts a response and asks for the next event in one write), so it goes out
     * with that request's answer, one write for both.
     */
    let held: Buffer | undefined;
    const take = (): Buffer | undefined => {
      const before = held;
      held = undefined;
      return before;
    };
    socket.once('close', () => open && handler.withdraw?.(open));
    const connection: Http1Connection = new Http1Connection(socket, { maxHeadBytes: 16 * 1024, maxBodyBytes: MAX_RESPONSE_BYTES }, (req, done) => {
      const routed = route(req, handler);
      if (routed.kind === 'next' || routed.kind === 'assignment') {
        const poll = routed.kind === 'next' ? handler.next.bind(handler) : handler.assignment!.bind(handler);
        const deliver = (headers: string, body: Buffer): boolean => {
          open = undefined;
          if (socket.destroyed) return false;
          writeResponse(socket, 200, headers, body, false, take());
          done();
          return true;
        };
        open = deliver;
        const refused = poll(deliver);
        if (refused) open = undefined;
        if (refused && !socket.destroyed) {
          writeResponse(socket, refused.status, JSON_HEADER, refused.body, false, take());
          done();
        }
        return;
      }
      if (socket.destroyed) {
        // nothing to answer
      } else if (routed.answer === ACCEPTED && !req.oversized) {
        const before = take();
        const answer = before === undefined ? ACCEPTED_BYTES : Buffer.concat([before, ACCEPTED_BYTES]);
        if (connection.pipelined()) held = answer;
        else socket.write(answer);
      } else writeResponse(socket, routed.answer.status, JSON_HEADER, routed.answer.body, req.oversized, take());
      done();
    }, (req) => streamBody(req, handler));
    socket.resume();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('runtime API did not bind a TCP port');
  return {
    address: `${host}:${addr.port}`,
    token,
    setHandler: (next) => {
      handler = next;
    },
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
