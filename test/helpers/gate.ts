/**
 * A gate the test opens: a function given `gate` (this server's URL) reports that it has arrived,
 * then waits until the test opens the gate. Over loopback HTTP, so it works from inside a sandbox.
 */
import { createServer, type Server } from 'node:http';

export interface Gate {
  url: string;
  /** Resolves once `n` invocations are waiting at the gate. */
  entered(n: number): Promise<void>;
  open(): void;
  close(): void;
}

export async function newGate(): Promise<Gate> {
  let arrived = 0;
  let isOpen = false;
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === '/enter') {
      arrived++;
      waiters.splice(0).forEach((w) => w());
    }
    res.writeHead(req.url === '/wait' && !isOpen ? 423 : 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async entered(n) {
      const deadline = Date.now() + 30_000;
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
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
