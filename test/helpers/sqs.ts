/** An SQS client for a test server: credentials and region always set, no retries. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS } from './platform.js';

export const sqsClient = (endpoint: string): SQSClient =>
  new SQSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

/** The error a rejected promise carries, for asserting on its name. */
export const failure = (p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => e,
  );

/** `selfless serve` as a child process in its own process group, for crash tests. */
export interface ServeProcess {
  url: string;
  /** SIGKILLs the whole process group and waits until the server has exited. */
  kill(): Promise<void>;
}

export async function spawnServe(dataDir: string): Promise<ServeProcess> {
  const bin = fileURLToPath(new URL('../../../bin/selfless.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Selfless is serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(() => reject(new Error(`selfless serve exited before serving:\n${out}`)));
  });
  return {
    url,
    async kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}
