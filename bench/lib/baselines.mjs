// The baselines a warm invoke is measured against, in the same run:
// - bare: a Node.js HTTP hello-world server, one HTTP exchange per request (the machine's limit for HTTP);
// - floor: the least a warm invoke can do here. A relay (node:http for clients, a Runtime API hand-parsed
//   on node:net) hands each client's event to an idle runtime process long-polling
//   GET /2018-06-01/runtime/invocation/next; the runtime (one raw keep-alive socket, `async () => ({ ok: true })`)
//   posts /2018-06-01/runtime/invocation/<id>/response, and the relay answers the client. One runtime
//   process per concurrent client, as one environment per concurrent invoke on Lambda.
// The relay and runtimes are this file run again: `baselines.mjs relay` and `baselines.mjs runtime <port>`;
// they load only Node.js built-ins.
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const NEXT = '/2018-06-01/runtime/invocation/next';
const RESPONSE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/response$/;
const self = fileURLToPath(import.meta.url);

/** The bare server; resolves with its child and URL. */
export async function startBare() {
  const { startChild } = await import('./processes.mjs');
  const bare = await startChild(process.execPath, ['-e', `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.setHeader('content-type', 'application/json'); s.end('{"ok":true}'); }); }).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });`], /PORT (\d+)/);
  return { ...bare, url: `http://127.0.0.1:${bare.match}/`, pids: [bare.child.pid] };
}

/** The floor with `runtimes` runtime processes; resolves with its URL, its pids by role, and stop(). */
export async function startFloor(runtimes) {
  const { startChild, stopChild } = await import('./processes.mjs');
  const relayChild = await startChild(process.execPath, [self, 'relay'], /PORTS (\d+ \d+)/);
  const [clientPort, runtimePort] = relayChild.match.split(' ');
  const runtimeChildren = await Promise.all(Array.from({ length: runtimes }, () => startChild(process.execPath, [self, 'runtime', runtimePort], /(READY)/)));
  const all = [relayChild, ...runtimeChildren];
  return {
    url: `http://127.0.0.1:${clientPort}/`,
    pids: { relay: [relayChild.child.pid], runtimes: runtimeChildren.map((r) => r.child.pid) },
    alive: () => all.every(({ child }) => child.exitCode === null && child.signalCode === null),
    stop: () => Promise.all(all.map(stopChild)),
  };
}

/** A socket 'data' listener calling onMessage(startLine, headers, body) per complete HTTP/1.1 message. */
function messageReader(onMessage) {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const [startLine, ...lines] = buffered.toString('latin1', 0, headEnd).split('\r\n');
      const headers = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const bodyEnd = headEnd + 4 + Number(headers['content-length'] ?? 0);
      if (buffered.length < bodyEnd) return;
      const body = buffered.toString('utf8', headEnd + 4, bodyEnd);
      buffered = buffered.subarray(bodyEnd);
      onMessage(startLine, headers, body);
    }
  };
}

/** Pairs client invokes with runtimes parked on GET /next; prints `PORTS <clients> <runtime API>` when listening. */
function relay() {
  const idle = []; // runtime sockets parked on GET /next
  const waiting = []; // client invokes no runtime has taken yet: { event, res }
  const inFlight = new Map(); // request id → client response
  let lastId = 0;
  const dispatch = () => {
    while (idle.length && waiting.length) {
      const socket = idle.shift();
      const { event, res } = waiting.shift();
      const id = String(++lastId);
      inFlight.set(id, res);
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: ${id}\r\nContent-Length: ${Buffer.byteLength(event)}\r\n\r\n${event}`);
    }
  };

  const clients = createHttpServer((req, res) => {
    let event = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (event += d));
    req.on('end', () => {
      waiting.push({ event, res });
      dispatch();
    });
  });

  const runtimeApi = createNetServer((socket) => {
    socket.setNoDelay(true);
    socket.on('close', () => {
      const i = idle.indexOf(socket);
      if (i >= 0) idle.splice(i, 1);
    });
    socket.on('data', messageReader((startLine, headers, body) => {
      const [method, path] = startLine.split(' ');
      const id = RESPONSE.exec(path)?.[1];
      if (method === 'GET' && path === NEXT) {
        idle.push(socket);
        dispatch();
      } else if (method === 'POST' && inFlight.has(id)) {
        const res = inFlight.get(id);
        inFlight.delete(id);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
        socket.write('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n');
      } else {
        socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      }
    }));
  });

  clients.listen(0, '127.0.0.1', () => runtimeApi.listen(0, '127.0.0.1', () => console.log(`PORTS ${clients.address().port} ${runtimeApi.address().port}`)));
}

/** One runtime: GET /next, run the handler, POST /response, read its 202, repeat. Prints READY once connected. */
function runtime(port) {
  const handler = async () => ({ ok: true });
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const next = () => socket.write(`GET ${NEXT} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  socket.on('data', messageReader(async (statusLine, headers, body) => {
    const status = statusLine.split(' ')[1];
    if (status === '202') return next();
    if (status !== '200') throw new Error(`runtime API answered ${statusLine}`);
    const id = headers['lambda-runtime-aws-request-id'];
    const result = JSON.stringify(await handler(JSON.parse(body)));
    socket.write(`POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(result)}\r\n\r\n${result}`);
  }));
  socket.once('connect', () => {
    console.log('READY');
    next();
  });
}

if (process.argv[1] === self) {
  const [role, arg] = process.argv.slice(2);
  if (role === 'relay') relay();
  else if (role === 'runtime') runtime(Number(arg));
  else throw new Error('usage: baselines.mjs relay | runtime <port>');
}
