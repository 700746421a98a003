/**
 * The AWS Parameters and Secrets Lambda Extension, provided by the platform to functions that list
 * its layer: code written for the extension reads secrets and parameters from its localhost
 * endpoint with its environment's session token, during the invoke phase, cached as the extension's
 * settings say; the token of any other environment, or none, is refused.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bwrapVersion } from '../../src/environments/sandbox/bwrap-launcher.js';
import { CREDENTIALS, createFunction, decode, environmentsOf, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

const EXTENSION_LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:11';
/** Environments run in bubblewrap where it is installed: then the endpoint also checks whose connection it is. */
const SANDBOXED = bwrapVersion() !== undefined;

interface Answer {
  status: number;
  errorType?: string;
  body: unknown;
}
type Request = string | { path: string; token?: string | null; port?: string; method?: string; headers?: Record<string, string> };
type Output = Record<string, Answer> & { port: string; token?: string; duringInit?: Answer };

const SECRET = '/secretsmanager/get?secretId=db-password';

describe('the Parameters and Secrets extension endpoint', () => {
  let t: TestPlatform;
  let secrets: SecretsManagerClient;
  let ssm: SSMClient;
  const invoke = async (name: string, get: Record<string, Request>, revealToken = false): Promise<Output> => {
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ get, revealToken })) }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return decode(out.Payload) as Output;
  };
  const secretString = (a: Answer | undefined) => (a?.body as { SecretString?: string } | undefined)?.SecretString;

  before(async () => {
    // Port 0: the system picks one, as when 2773 is taken; functions learn it from the variable.
    t = await startTestPlatform({ extensionPort: 0 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS };
    secrets = new SecretsManagerClient(config);
    ssm = new SSMClient(config);
    await secrets.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'hunter2' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/key', Type: 'SecureString', Value: 'sealed-value' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/plain', Type: 'String', Value: 'v1' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/plain', Type: 'String', Value: 'v2', Overwrite: true }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/app/plain', ParameterVersion: 1, Labels: ['stable'] }));
    await createFunction(t.lambda, 'reads-cached', 'params-secrets-extension', { Layers: [EXTENSION_LAYER] });
    await createFunction(t.lambda, 'reads-uncached', 'params-secrets-extension', {
      Layers: [EXTENSION_LAYER],
      Environment: { Variables: { SECRETS_MANAGER_TTL: '0' } },
    });
  });
  after(async () => {
    secrets.destroy();
    ssm.destroy();
    await t.stop();
  });

  it('accepts the layer, which Selfless provides itself: the function lists it with no package', async () => {
    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'reads-cached' }));
    assert.deepEqual(fn.Configuration?.Layers, [{ Arn: EXTENSION_LAYER, CodeSize: 0 }]);
  });

  it('serves secrets and parameters (by version or label, decrypted on request) to a caller with the session token', async () => {
    const out = await invoke('reads-cached', {
      secret: SECRET,
      secure: '/systemsmanager/parameters/get?name=%2Fapp%2Fkey&withDecryption=true',
      sealed: '/systemsmanager/parameters/get?name=%2Fapp%2Fkey',
      first: '/systemsmanager/parameters/get?name=%2Fapp%2Fplain&version=1',
      labelled: '/systemsmanager/parameters/get?name=%2Fapp%2Fplain&label=stable',
    });
    assert.notEqual(out.port, '2773');
    assert.equal(out['secret']!.status, 200);
    const secret = out['secret']!.body as { Name: string; SecretString: string; VersionStages: string[] };
    assert.equal(secret.Name, 'db-password');
    assert.equal(secret.SecretString, 'hunter2');
    assert.deepEqual(secret.VersionStages, ['AWSCURRENT']);
    const parameter = (name: string) => (out[name]!.body as { Parameter: { Value: string; Version: number } }).Parameter;
    assert.equal(parameter('secure').Value, 'sealed-value');
    assert.notEqual(parameter('sealed').Value, 'sealed-value');
    assert.deepEqual([parameter('first').Value, parameter('first').Version], ['v1', 1]);
    assert.deepEqual([parameter('labelled').Value, parameter('labelled').Version], ['v1', 1]);
  });

  it("passes the service's errors through as the service answers them", async () => {
    const out = await invoke('reads-cached', {
      noSecret: '/secretsmanager/get?secretId=no-such-secret',
      noParameter: '/systemsmanager/parameters/get?name=%2Fno%2Fsuch',
      noVersion: '/systemsmanager/parameters/get?name=%2Fapp%2Fplain&version=9',
    });
    for (const [name, type] of [['noSecret', 'ResourceNotFoundException'], ['noParameter', 'ParameterNotFound'], ['noVersion', 'ParameterVersionNotFound']] as const) {
      assert.equal(out[name]!.status, 400, name);
      assert.equal(out[name]!.errorType, type, name);
      assert.equal((out[name]!.body as { __type: string }).__type, type, name);
      assert.match((out[name]!.body as { message: string }).message, /\S/, name);
    }
  });

  it('listens on the port a function asks for in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, when it is free', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    await createFunction(t.lambda, 'reads-own-port', 'params-secrets-extension', {
      Layers: [EXTENSION_LAYER],
      Environment: { Variables: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(free) } },
    });
    const out = await invoke('reads-own-port', { secret: SECRET });
    assert.equal(out.port, String(free));
    assert.equal(out['secret']!.status, 200);
  });

  it('refuses malformed requests with the status of each fault', async () => {
    const out = await invoke('reads-cached', {
      noToken: { path: SECRET, token: null },
      wrongToken: { path: SECRET, token: 'not-the-token' },
      post: { path: SECRET, method: 'POST' },
      forwarded: { path: SECRET, headers: { 'X-Forwarded-For': '10.0.0.1' } },
      unknownPath: '/secretsmanager/list',
      noSecretId: '/secretsmanager/get',
      noName: '/systemsmanager/parameters/get?withDecryption=true',
      unknownParameter: '/secretsmanager/get?secretId=db-password&colour=blue',
      versionAndLabel: '/systemsmanager/parameters/get?name=%2Fapp%2Fplain&version=1&label=stable',
      badDecryption: '/systemsmanager/parameters/get?name=%2Fapp%2Fkey&withDecryption=yes',
    });
    const statuses = Object.fromEntries(Object.entries(out).filter(([k]) => !['port', 'duringInit'].includes(k)).map(([k, v]) => [k, (v as Answer).status]));
    assert.deepEqual(statuses, {
      noToken: 403,
      wrongToken: 403,
      post: 405,
      forwarded: 400,
      unknownPath: 404,
      noSecretId: 400,
      noName: 400,
      unknownParameter: 400,
      versionAndLabel: 400,
      badDecryption: 400,
    });
    assert.match(String(out['noSecretId']!.body), /secretId/);
    assert.match(String(out['noName']!.body), /name/);
    assert.match(String(out['unknownParameter']!.body), /colour/);
    assert.doesNotMatch(JSON.stringify(out), /hunter2/);
  });

  it('answers during the invoke phase only: a request while the function initialises is refused', async () => {
    await createFunction(t.lambda, 'reads-at-init', 'params-secrets-extension', {
      Layers: [EXTENSION_LAYER],
      Environment: { Variables: { ASK_DURING_INIT: SECRET } },
    });
    const out = await invoke('reads-at-init', { secret: SECRET });
    assert.equal(out.duringInit?.status, 503);
    assert.match(String(out.duringInit?.body), /invoke phase/);
    assert.equal(secretString(out['secret']), 'hunter2');
  });

  it("accepts only a live environment's own token: not another function's, not a retired environment's", async () => {
    const first = await invoke('reads-cached', { secret: SECRET }, true);
    assert.equal(secretString(first['secret']), 'hunter2');
    const oldToken = first.token!;

    // A function without the layer holds a valid session too: the endpoint does not know it.
    await createFunction(t.lambda, 'no-layer', 'params-secrets-extension');
    const outsider = await invoke('no-layer', { own: { path: SECRET, port: first.port } }, true);
    assert.ok(outsider.token && outsider.token !== oldToken);
    assert.equal(outsider['own']!.status, 403);

    // A token names its environment, whoever presents it: in a sandbox only that environment's own
    // connections are served; without one, the answer is that environment's (from its cache, as it).
    await secrets.send(new PutSecretValueCommand({ SecretId: 'db-password', SecretString: 'rotated' }));
    const borrowed = await invoke('reads-uncached', { own: SECRET, borrowed: { path: SECRET, token: oldToken } });
    assert.equal(secretString(borrowed['own']), 'rotated');
    if (SANDBOXED) assert.equal(borrowed['borrowed']!.status, 403);
    else assert.equal(secretString(borrowed['borrowed']), 'hunter2');
    const fromHost = await fetch(`http://127.0.0.1:${first.port}${SECRET}`, { headers: { 'X-Aws-Parameters-Secrets-Token': oldToken } });
    assert.equal(fromHost.status, SANDBOXED ? 403 : 200);
    await fromHost.arrayBuffer();

    // A change of configuration retires the environment: its token goes with it.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'reads-cached', Description: 'retires the environment' }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'reads-cached' });
    await waitFor(async () => (await environmentsOf(t.platform.url, 'reads-cached')).length === 0, 'the retired environment to stop');
    const next = await invoke('reads-cached', { own: SECRET, retired: { path: SECRET, token: oldToken } }, true);
    assert.notEqual(next.token, oldToken, 'a new environment has a session of its own');
    assert.equal(secretString(next['own']), 'rotated');
    assert.equal(next['retired']!.status, 403);
  });

  it('without a sandbox, a live token is served to whoever presents it, as its own environment (from its cache)', async () => {
    const plain = await startTestPlatform({ extensionPort: 0, sandbox: 'none' });
    const sm = new SecretsManagerClient({ endpoint: plain.platform.url, region: 'us-east-1', credentials: CREDENTIALS });
    const call = async (name: string, get: Record<string, Request>) => {
      const out = await plain.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ get, revealToken: true })) }));
      assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
      return decode(out.Payload) as Output;
    };
    try {
      await sm.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'first' }));
      await createFunction(plain.lambda, 'owner', 'params-secrets-extension', { Layers: [EXTENSION_LAYER] });
      await createFunction(plain.lambda, 'borrower', 'params-secrets-extension', { Layers: [EXTENSION_LAYER], Environment: { Variables: { SECRETS_MANAGER_TTL: '0' } } });
      const owner = await call('owner', { secret: SECRET });
      assert.equal(secretString(owner['secret']), 'first');
      await sm.send(new PutSecretValueCommand({ SecretId: 'db-password', SecretString: 'second' }));
      const borrower = await call('borrower', { own: SECRET, borrowed: { path: SECRET, token: owner.token! } });
      assert.equal(secretString(borrower['own']), 'second');
      assert.equal(secretString(borrower['borrowed']), 'first', "answered as the owner's environment, from its cache");
      const fromHost = await fetch(`http://127.0.0.1:${owner.port}${SECRET}`, { headers: { 'X-Aws-Parameters-Secrets-Token': owner.token! } });
      assert.equal(fromHost.status, 200);
      assert.equal(((await fromHost.json()) as { SecretString: string }).SecretString, 'first');
      const guessed = await fetch(`http://127.0.0.1:${owner.port}${SECRET}`, { headers: { 'X-Aws-Parameters-Secrets-Token': 'guessed' } });
      assert.equal(guessed.status, 403);
      await guessed.arrayBuffer();
    } finally {
      sm.destroy();
      await plain.stop();
    }
  });

  it('a Python function reads a secret with boto3, through the endpoint with urllib and from a resolved variable, as its own role session', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'py/secret', SecretString: 'snake-oil' }));
    await createFunction(t.lambda, 'py-reader', 'python-secrets', {
      Runtime: 'python3.11',
      Handler: 'app.handler',
      Layers: [EXTENSION_LAYER],
      Environment: { Variables: { RESOLVED: '{{resolve:secretsmanager:py/secret}}' } },
    });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-reader', Payload: Buffer.from(JSON.stringify({ secretId: 'py/secret' })) }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    assert.deepEqual(decode(res.Payload), {
      caller: 'arn:aws:sts::000000000000:assumed-role/test/py-reader',
      boto3: 'snake-oil',
      extension: { status: 200, value: 'snake-oil' },
      without_token: { status: 403 },
      resolved: 'snake-oil',
    });
  });

  it('caches a secret for SECRETS_MANAGER_TTL (300 s by default); a TTL of 0 reads the current value', async () => {
    await invoke('reads-uncached', { secret: SECRET });
    const cachedBefore = await invoke('reads-cached', { secret: SECRET });
    await secrets.send(new PutSecretValueCommand({ SecretId: 'db-password', SecretString: 'rotated-again' }));
    const cached = await invoke('reads-cached', { secret: SECRET });
    const fresh = await invoke('reads-uncached', { secret: SECRET });
    assert.equal(secretString(cached['secret']), secretString(cachedBefore['secret']));
    assert.equal(secretString(fresh['secret']), 'rotated-again');
  });
});
