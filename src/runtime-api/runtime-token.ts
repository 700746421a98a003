/**
 * A cheap proof that a Runtime API connection comes from its own environment. Checking a client's
 * process tree needs /proc/net/tcp, which the kernel builds by walking its whole TCP hash table:
 * ~4.6 ms of CPU a read on a 24 GiB machine, paid by every new environment and on its cold start's
 * path. Each endpoint has a random token, given only to its environment's process (in
 * SELFLESS_RUNTIME_TOKEN, which other environments cannot read: each sandbox has its own PID
 * namespace); the bundled runtimes send it on the first request of each connection, and a
 * connection that carries it is admitted at once. Any other connection (a custom runtime, another
 * environment) still has its process tree checked.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

export const RUNTIME_TOKEN_ENV = 'SELFLESS_RUNTIME_TOKEN';
const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const TOKEN_LINE = /\r\nselfless-runtime-token:[ \t]*([A-Za-z0-9_-]{1,128})[ \t]*\r\n/i;

export function newRuntimeToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether the request head carries this token. */
export function carriesToken(head: Buffer, token: string): boolean {
  const end = head.indexOf(HEAD_END);
  const text = head.toString('latin1', 0, end === -1 ? head.length : end + 2);
  const sent = TOKEN_LINE.exec(text)?.[1];
  if (sent === undefined || sent.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(token));
}

/**
 * Reads a paused socket until its first request's head is in (or 16 KB, or the end), then puts the
 * bytes back and leaves it paused, for the connection's parser to read from the start.
 * Undefined if the socket ended first (nothing is put back then).
 */
export function readFirstHead(socket: Socket): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let buffered: Buffer = Buffer.alloc(0);
    const finish = (head: Buffer | undefined) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.pause();
      if (head !== undefined) socket.unshift(head);
      resolve(head);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      if (buffered.indexOf(HEAD_END) !== -1 || buffered.length >= MAX_HEAD_BYTES) finish(buffered);
    };
    const onEnd = () => finish(undefined);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.resume();
  });
}
