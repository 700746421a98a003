import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, environmentsOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

interface Probe {
  read: Record<string, { ok: boolean; code?: string }>;
  writeTaskRoot: { ok: boolean; code?: string };
  tmp: string[];
  processes: number;
  environSecrets: number;
  uid: number;
  cwd: string;
  text: Record<string, { ok: boolean; value?: string; code?: string }>;
  etc: string[];
}

describe('isolation between functions (bubblewrap sandbox)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ sandbox: 'bwrap' });
    await createFunction(t.lambda, 'alice', 'actions', { Environment: { Variables: { ALICE_SECRET: 'alice-s3cret-value' } } });
    await createFunction(t.lambda, 'mallory', 'echo', { Handler: 'index.handler' });
    await createFunction(t.lambda, 'prober', 'actions');
  });
  after(() => t.stop());

  const probe = async (fn: string, event: Record<string, unknown>) =>
    decode((await t.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: json({ action: 'probe', ...event }) }))).Payload) as Probe;

  it("cannot read another function's code, /tmp, environment variables or processes", async () => {
    // Alice is warm (her process holds her secret in its environment) and has written to her /tmp.
    const alice = await probe('alice', { writeTmp: 'alice-secret' });
    assert.ok(alice.tmp.includes('alice-secret'));

    const sha = Buffer.from((await t.lambda.send(new GetFunctionCommand({ FunctionName: 'alice' }))).Configuration!.CodeSha256!, 'base64').toString('hex');
    const aliceCode = join(t.dataDir, 'code', 'unpacked', sha, 'index.js');
    const seen = await probe('prober', { read: [aliceCode, '/tmp/alice-secret', join(t.dataDir, 'selfless.db'), '/etc/shadow'], secret: 'alice-s3cret-value' });
    for (const [path, result] of Object.entries(seen.read)) assert.equal(result.ok, false, `${path} must not be readable`);
    assert.deepEqual(seen.tmp, [], 'its /tmp is its own');
    assert.equal(seen.environSecrets, 0, 'no process it can see carries the other function\'s variables');
    assert.ok(seen.processes <= 3, `sees only its own processes, saw ${seen.processes}`);
  });

  it('sees an /etc of its own: the host\'s resolver, hosts and TLS roots, the sandbox\'s users, nothing else of the host', async () => {
    const seen = await probe('prober', { readText: ['/etc/resolv.conf', '/etc/hosts', '/etc/passwd', '/etc/group'] });
    for (const file of ['/etc/resolv.conf', '/etc/hosts']) assert.deepEqual(seen.text[file], { ok: true, value: readFileSync(file, 'utf8') }, file);
    assert.match(seen.text['/etc/passwd']!.value!, /^sbx_user1051:x:993:990:/m);
    assert.match(seen.text['/etc/group']!.value!, /^sbx_user1051:x:990:/m);
    const hostEtc = readdirSync('/etc');
    for (const name of ['ssl', 'localtime', 'ld.so.cache'].filter((n) => hostEtc.includes(n))) assert.ok(seen.etc.includes(name), `/etc/${name}`);
    for (const name of ['shadow', 'hostname', 'machine-id', 'environment'].filter((n) => hostEtc.includes(n))) assert.ok(!seen.etc.includes(name), `the host's /etc/${name} stays outside`);
    assert.ok(seen.etc.length <= 14, seen.etc.join(' '));
  });

  it("cannot use another environment's Runtime API", async () => {
    await probe('alice', {});
    const [aliceEnv] = await environmentsOf(t.platform.url, 'alice');
    const seen = (await probe('prober', { runtimeApi: (aliceEnv as unknown as { RuntimeApi: string }).RuntimeApi })) as Probe & { otherRuntimeApi: unknown };
    // Refused before any answer: closed, reset, or closed while the probe was still writing (EPIPE).
    assert.ok(['closed without an answer', 'ECONNRESET', 'EPIPE'].includes(String(seen.otherRuntimeApi)), String(seen.otherRuntimeApi));
    const again = await t.lambda.send(new InvokeCommand({ FunctionName: 'alice', Payload: json({ action: 'probe' }) }));
    assert.equal(again.FunctionError, undefined, "alice's environment still works");
  });

  it("cannot open another environment's Runtime API with its own endpoint's token, which its code does not see in process.env", async () => {
    await probe('alice', {});
    const [aliceEnv] = await environmentsOf(t.platform.url, 'alice');
    const seen = (await probe('prober', { runtimeApi: (aliceEnv as unknown as { RuntimeApi: string }).RuntimeApi, withOwnToken: true })) as Probe & {
      otherRuntimeApi: unknown;
      tokenInEnv: boolean;
    };
    assert.ok(['closed without an answer', 'ECONNRESET', 'EPIPE'].includes(String(seen.otherRuntimeApi)), String(seen.otherRuntimeApi));
    assert.equal(seen.tokenInEnv, false);
    const again = await t.lambda.send(new InvokeCommand({ FunctionName: 'alice', Payload: json({ action: 'probe' }) }));
    assert.equal(again.FunctionError, undefined, "alice's environment still works");
  });

  it('sees its own code read-only at /var/task, runs unprivileged, and has a private writable /tmp', async () => {
    const seen = await probe('prober', { read: ['/var/task/index.js'], writeTmp: 'mine' });
    assert.equal(seen.cwd, '/var/task');
    assert.equal(seen.read['/var/task/index.js']?.ok, true);
    assert.equal(seen.writeTaskRoot.ok, false);
    assert.ok(['EROFS', 'EACCES'].includes(seen.writeTaskRoot.code ?? ''), seen.writeTaskRoot.code);
    assert.notEqual(seen.uid, 0);
    assert.ok(seen.tmp.includes('mine'));
  });

  it('bounds /tmp by EphemeralStorage', async () => {
    await createFunction(t.lambda, 'filler', 'actions', { MemorySize: 1024, EphemeralStorage: { Size: 512 }, Timeout: 30 });
    const res = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'filler', Payload: json({ action: 'fill-tmp', mb: 600 }) }))).Payload) as {
      written: number;
      error: string | null;
    };
    assert.equal(res.error, 'ENOSPC');
    assert.ok(res.written >= 500 && res.written <= 512, `wrote ${res.written} MB`);
  });

  it('still reaches this server from inside the sandbox, with the SDK the runtime provides', async () => {
    await createFunction(t.lambda, 'caller', 'sdk-caller');
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'caller' }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    const body = decode(res.Payload) as { endpoint: string; names: string[] };
    assert.equal(body.endpoint, t.platform.url);
    assert.ok(body.names.includes('alice') && body.names.includes('caller'));
  });
});
