import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import type { NodeRecord } from '../../src/domain/fleet.js';
import { FORWARDED_HEADER, Forwarding } from '../../src/fleet/forwarding.js';
import { Placement } from '../../src/fleet/placement.js';
import { ManualClock } from '../../src/lib/clock.js';

const node = (id: string, heartbeatAt: number, inFlight: number, warm: string[] = []): NodeRecord => ({
  id,
  advertise: `http://127.0.0.1:1/${id}`,
  startedAt: 0,
  heartbeatAt,
  capacity: { memoryMb: 1024, maxEnvironments: 4 },
  load: { environments: inFlight, inFlight, warm },
});

describe('where a fleet node sends an invocation', () => {
  const clock = new ManualClock(10_000);
  const place = (peers: NodeRecord[], local: { idle?: boolean; canStart?: boolean }) =>
    new Placement({ id: 'me', deadAfterMs: 3000, peers }, { hasIdle: () => local.idle ?? false, canStart: () => local.canStart ?? true }, clock).elsewhere('f', '$LATEST');

  it('runs here with an idle environment of the version, whatever the others have', () => {
    assert.equal(place([node('b', 10_000, 0, ['f:$LATEST'])], { idle: true, canStart: false }), undefined);
  });

  it('sends it to a live node with the version warm, the roomiest of them; never to a dead one or to itself', () => {
    const peers = [node('me', 10_000, 0, ['f:$LATEST']), node('dead', 5_000, 0, ['f:$LATEST']), node('busy', 10_000, 3, ['f:$LATEST']), node('free', 9_000, 1, ['f:$LATEST']), node('cold', 10_000, 0)];
    assert.equal(place(peers, {})?.id, 'free');
    assert.equal(place([node('full', 10_000, 4, ['f:$LATEST'])], {}), undefined, 'a node with no room is no target');
  });

  it('starts it here while it can; at its limit, sends it to the live node with the most room', () => {
    const peers = [node('b', 10_000, 2), node('c', 10_000, 1), node('dead', 1_000, 0)];
    assert.equal(place(peers, { canStart: true }), undefined);
    assert.equal(place(peers, { canStart: false })?.id, 'c');
    assert.equal(place([node('dead', 1_000, 0)], { canStart: false }), undefined, 'no live peer: it runs (or waits) here');
  });
});

describe('requests forwarded between nodes', () => {
  it('carries the request id under a MAC only a node with the same key accepts', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      seen = req.headers;
      req.resume().on('end', () => res.writeHead(200, { 'x-amz-function-error': 'Unhandled' }).end('{"errorType":"TypeError"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const key = Buffer.alloc(32, 7);
    const sender = new Forwarding(key);
    try {
      const answer = await sender.send({ ...node('b', 0, 0), advertise: `http://127.0.0.1:${port}` }, { method: 'POST', url: '/2015-03-31/functions/f/invocations', headers: { host: 'client-host:9000', [FORWARDED_HEADER]: 'forged.abc' }, body: Buffer.from('{}') }, 'req-1');
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['x-amz-function-error'], 'Unhandled');
      // The body arrives as the node sends it: read to its end.
      assert.equal(Buffer.concat(await answer.body.toArray()).toString(), '{"errorType":"TypeError"}');
      assert.equal(seen?.host, 'client-host:9000', 'the Host the client signed');
      const header = seen?.[FORWARDED_HEADER] as string;
      assert.equal(new Forwarding(key).trusted(header), 'req-1');
      assert.equal(new Forwarding(Buffer.alloc(32, 8)).trusted(header), undefined, 'another key');
      assert.equal(new Forwarding(key).trusted(header.replace('req-1', 'req-2')), undefined, 'another request id');
      assert.equal(new Forwarding(key).trusted('req-1'), undefined);
      assert.equal(new Forwarding(key).trusted(undefined), undefined);
    } finally {
      sender.close();
      server.close();
    }
    await assert.rejects(
      new Forwarding(key).send({ ...node('gone', 0, 0), advertise: `http://127.0.0.1:${port}` }, { method: 'POST', url: '/x', headers: {}, body: Buffer.alloc(0) }, 'req-3'),
      (err: Error & { name?: string }) => /sent to node gone .* which did not answer/.test(err.message),
    );
  });
});
