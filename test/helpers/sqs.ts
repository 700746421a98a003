/** An SQS client for a test server: credentials and region always set, no retries. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS } from './platform.js';
import { startServerProcess } from './server-process.js';

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

export async function spawnServe(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const server = await startServerProcess(dataDir, ['--log-level', 'silent', ...extraArgs]);
  return {
    url: server.url,
    async kill() {
      server.kill('SIGKILL');
      await server.exited;
    },
  };
}
