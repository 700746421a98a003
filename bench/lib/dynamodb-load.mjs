// One thread of bench/dynamodb.mjs's load: its share of the concurrent loops, each with the SDK v3 client
// as users run it, against whichever server the main thread names. The SDK client's own CPU (some 460 µs
// a call here) would bound one thread at about 2,200 calls a second whatever the server does, so the load
// is spread over threads and the servers' own costs show in the figures.
import { Agent } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const payload = { S: 'x'.repeat(80) };
const clients = new Map();
const client = (endpoint) => {
  let d = clients.get(endpoint);
  if (!d) {
    d = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
    });
    clients.set(endpoint, d);
  }
  return d;
};

/** One call of a phase by loop `w` (global numbering), its n-th; `written[w]`: items loop w has put. */
const CALLS = {
  put_item: async (d, name, w, n, written) => {
    await d.send(new PutItemCommand({ TableName: 'bench', Item: { pk: { S: `p${w}-${n}` }, sk: { N: '0' }, payload } }));
    written[w] = Math.max(written[w] ?? 0, n + 1);
  },
  get_item: async (d, name, w, n, written) => {
    const got = await d.send(new GetItemCommand({ TableName: 'bench', Key: { pk: { S: `p${w}-${n % written[w]}` }, sk: { N: '0' } } }));
    if (!got.Item) throw new Error(`${name}: GetItem found nothing`);
  },
  query_100: async (d, name, _w, _n, _written, items) => {
    const got = await d.send(new QueryCommand({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } } }));
    if (got.Count !== items) throw new Error(`${name}: Query returned ${got.Count} items`);
  },
};

parentPort.on('message', async ({ name, endpoint, phase, seconds, loops, written, items }) => {
  try {
    const d = client(endpoint);
    const call = CALLS[phase];
    const until = Date.now() + seconds * 1000;
    let calls = 0;
    await Promise.all(
      loops.map(async (w) => {
        for (let n = 0; Date.now() < until; n++) {
          await call(d, name, w, n, written, items);
          calls++;
        }
      }),
    );
    parentPort.postMessage({ calls, written });
  } catch (err) {
    parentPort.postMessage({ error: err.stack ?? String(err) });
  }
});
