/**
 * Download links for code packages: what GetFunction's `Code.Location` and GetLayerVersion's
 * `Content.Location` hand out, as Lambda hands out presigned S3 URLs. A link names the package by
 * its hash, expires after ten minutes, and carries an HMAC over both under a key every node derives
 * from the master key, so any node of a fleet can check it and nobody can forge one for other code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../lib/clock.js';

export const CODE_LINK_PREFIX = '/_selfless-code/';
const VALID_MS = 10 * 60_000;
const SHA256 = /^[0-9a-f]{64}$/;

export class CodeLinks {
  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
    private readonly baseUrl: () => string,
  ) {}

  url(sha256: string): string {
    const expires = Math.floor((this.clock.now() + VALID_MS) / 1000);
    return `${this.baseUrl()}${CODE_LINK_PREFIX}${sha256}.zip?Expires=${expires}&Signature=${this.sign(sha256, expires)}`;
  }

  /** The package a request for a link names, if the link holds and has not expired. */
  check(path: string, query: URLSearchParams): string | undefined {
    const sha256 = path.startsWith(CODE_LINK_PREFIX) ? path.slice(CODE_LINK_PREFIX.length).replace(/\.zip$/, '') : '';
    const expires = Number(query.get('Expires'));
    const signature = query.get('Signature') ?? '';
    if (!SHA256.test(sha256) || !Number.isInteger(expires) || expires * 1000 < this.clock.now()) return undefined;
    const expected = Buffer.from(this.sign(sha256, expires), 'hex');
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected) ? sha256 : undefined;
  }

  private sign(sha256: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${sha256}\n${expires}`).digest('hex');
  }
}
