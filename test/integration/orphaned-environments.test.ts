/**
 * A server that dies without stopping its environments (SIGKILL, a crash, the OOM killer) leaves none
 * behind: its spawn helper sees it gone and kills every environment it started. Plain processes (no
 * sandbox, whose bwrap would go with its parent) are the case that needs it, frozen ones above all:
 * a stopped process never notices its Runtime API is gone.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CREDENTIALS, createFunction, environmentsOf } from '../helpers/platform.js';
import { until } from '../helpers/poll.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** The process's state letter from /proc (R, S, T for stopped, Z for a zombie), or undefined once it is gone. */
function stateOf(pid: number): string | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  try {
    return /\) (\S)/.exec(readFileSync(stat, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

describe('environments of a server that dies', () => {
  let server: ServerProcess;
  let lambda: LambdaClient;

  before(async () => {
    server = await startServerProcess(join(mkdtempSync(join(tmpdir(), 'selfless-orphans-')), 'data'), ['--sandbox', 'none', '--prestarted-runtimes', '0']);
    lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });

  after(() => {
    lambda?.destroy();
    server?.kill();
  });

  it('are killed, frozen ones included, when the server is killed', async () => {
    await createFunction(lambda, 'left-behind', 'echo');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'left-behind', Payload: Buffer.from('{}') }));
    assert.equal(out.FunctionError, undefined);
    const [env] = await environmentsOf(server.url, 'left-behind');
    assert.ok(env, 'one warm environment');
    // Idle, it is frozen: stopped by SIGSTOP, it would never see its Runtime API go.
    await until(() => Promise.resolve(stateOf(env.Pid)), (s) => s === 'T', 'the idle environment frozen');

    server.child.kill('SIGKILL'); // the server alone: its spawn helper lives on to see it gone
    await server.exited;
    // Gone, or a zombie that nothing reaps (killed all the same).
    await until(() => Promise.resolve(stateOf(env.Pid)), (s) => s === undefined || s === 'Z', 'the environment killed');
  });
});
