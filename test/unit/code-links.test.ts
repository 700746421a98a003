import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CodeLinks } from '../../src/code/code-links.js';
import { ManualClock } from '../../src/lib/clock.js';

const SHA = 'a'.repeat(64);

describe('code download links', () => {
  const parts = (link: string) => {
    const url = new URL(link);
    return [url.pathname, url.searchParams] as const;
  };

  it('hold for ten minutes, for the package they name only', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const links = new CodeLinks(randomBytes(32), clock, () => 'http://127.0.0.1:9000');
    const link = links.url(SHA);
    assert.match(link, /^http:\/\/127\.0\.0\.1:9000\/_selfless-code\/a{64}\.zip\?Expires=\d+&Signature=[0-9a-f]{64}$/);
    assert.equal(links.check(...parts(link)), SHA);
    // Another package under the same signature, or a later expiry, does not hold.
    assert.equal(links.check(...parts(link.replace(SHA, 'b'.repeat(64)))), undefined);
    const [path, query] = parts(link);
    const later = new URLSearchParams(query);
    later.set('Expires', String(Number(query.get('Expires')) + 3600));
    assert.equal(links.check(path, later), undefined);
    clock.advance(9 * 60_000);
    assert.equal(links.check(...parts(link)), SHA);
    clock.advance(2 * 60_000);
    assert.equal(links.check(...parts(link)), undefined);
  });

  it('made under another key do not hold', () => {
    const clock = new ManualClock();
    const a = new CodeLinks(randomBytes(32), clock, () => 'http://x');
    const b = new CodeLinks(randomBytes(32), clock, () => 'http://x');
    assert.equal(b.check(...parts(a.url(SHA))), undefined);
  });
});
