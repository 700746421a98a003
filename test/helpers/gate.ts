/**
 * A gate the test opens: a function given `gate` (this server's URL) reports that it has arrived,
 * then waits until the test opens the gate. Over loopback HTTP, so it works from inside a sandbox.
 * A waiting function's request is held open until the gate opens, so a hundred waiting
 * environments cost no CPU that the ones still starting need.
 */
import { createServer, type ServerResponse, type Server } from 'node:http';

export interface Gate {
  url: string;
  /** How many invocations have reached the gate so far. */
  readonly arrived: number;
  /** Resolves once `n` invocations are waiting at the gate; fails after `deadlineMs` (generous by default). */
  entered(n: number, deadlineMs?: number): Promise<void>;
  open(): void;
  close(): void;
}

export async function newGate(): Promise<Gate> {
  let arrived = 0;
  let isOpen = false;
  const waiters: (() => void)[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === '/enter') {
      arrived++;
      waiters.splice(0).forEach((w) => w());
    }
    if (req.url === '/wait' && !isOpen) {
      held.push(res);
      return;
    }
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get arrived() {
      return arrived;
    },
    async entered(n, deadlineMs = 180_000) {
      const deadline = Date.now() + deadlineMs;
      while (arrived < n) {
        if (Date.now() > deadline) throw new Error(`only ${arrived} of ${n} invocations reached the gate`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    open: () => {
      isOpen = true;
      for (const res of held.splice(0)) res.writeHead(200).end();
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
