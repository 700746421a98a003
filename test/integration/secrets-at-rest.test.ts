/**
 * Encryption at rest, proven from the outside: after real API calls, neither the SQLite file (and
 * its WAL) nor the PostgreSQL tables hold any secret in clear; without the master key file, or with
 * another one, the server refuses to start.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { EncryptCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetFunctionConfigurationCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { spawnSync } from 'node:child_process';
import { startPlatform } from '../../src/main.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createFunction, CREDENTIALS, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { testSchema } from '../helpers/test-store.js';

const SECRET = `secret-plaintext-${randomBytes(6).toString('hex')}`;
const SECURE_PARAM = `parameter-plaintext-${randomBytes(6).toString('hex')}`;
const KMS_PLAIN = `kms-plaintext-${randomBytes(6).toString('hex')}`;
const REFERENCE = '{{resolve:secretsmanager:at-rest:SecretString:password:AWSPREVIOUS}}';
/** The sqlite3 shell, where it is installed: what an operator would look into the data dir with. */
const SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

async function writeSecrets(t: TestPlatform): Promise<void> {
  const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const sm = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const kms = new KMSClient(config);
  try {
    await sm.send(new CreateSecretCommand({ Name: 'at-rest', SecretString: JSON.stringify({ password: SECRET }) }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'at-rest', SecretString: `${SECRET}-v2` }));
    await ssm.send(new PutParameterCommand({ Name: '/at-rest/param', Value: SECURE_PARAM, Type: 'SecureString' }));
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(KMS_PLAIN) }));
    // A function whose environment refers to the secret: resolved for its process, never stored.
    await createFunction(t.lambda, 'at-rest-fn', 'env-reader', { Environment: { Variables: { PW: REFERENCE } } });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'at-rest-fn', Payload: Buffer.from('{"names":["PW"]}') }));
    assert.equal(JSON.parse(Buffer.from(res.Payload!).toString()).env.PW, SECRET);
    // Careless code prints it: the stored log line is masked, the configuration keeps the reference.
    await createFunction(t.lambda, 'at-rest-printer', 'env-logger', { Environment: { Variables: { PW: REFERENCE } } });
    const printed = await t.lambda.send(new InvokeCommand({ FunctionName: 'at-rest-printer', Payload: Buffer.from('{"names":["PW"]}') }));
    assert.equal(printed.FunctionError, undefined);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'at-rest-printer' }));
    assert.deepEqual(config.Environment?.Variables, { PW: REFERENCE });
    await waitFor(async () => {
      const events = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/at-rest-printer' }));
      return (events.events ?? []).some((e) => e.message?.includes('PW is ****'));
    }, 'the masked line to be stored');
  } finally {
    sm.destroy();
    ssm.destroy();
    kms.destroy();
  }
}

const leaks = (text: string) => [SECRET, SECURE_PARAM, KMS_PLAIN].filter((p) => text.includes(p));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

describe('secrets at rest', () => {
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('SQLite: no file of the data dir holds a secret in clear; the key file is 0600; a missing or wrong key stops the start', async () => {
    const t = await startTestPlatform({ store: 'sqlite' });
    stops.push(() => t.stop(true));
    await writeSecrets(t);
    await t.platform.stop();

    const keyFile = join(t.dataDir, 'master.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    for (const file of filesUnder(t.dataDir)) {
      assert.deepEqual(leaks(readFileSync(file).toString('latin1')), [], `${file} holds a secret in clear`);
    }
    const db = new Database(join(t.dataDir, 'selfless.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      assert.ok(tables.some((x) => x.name === 'secrets'));
      for (const { name } of tables) assert.deepEqual(leaks(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())), [], `table ${name}`);
      const stored = JSON.stringify(db.prepare('SELECT record FROM secrets').all());
      assert.match(stored, /dataKey.*sealed/, 'what is stored is a sealed value and its wrapped data key');
    } finally {
      db.close();
    }
    if (SQLITE3) {
      // The whole database as the sqlite3 shell dumps it: configuration and logs are there, secrets are not.
      const dump = spawnSync('sqlite3', [join(t.dataDir, 'selfless.db'), '.dump'], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
      assert.equal(dump.status, 0, dump.stderr);
      assert.ok(dump.stdout.includes(REFERENCE.replace(/'/g, "''")), 'the function configuration keeps the reference');
      assert.ok(dump.stdout.includes('PW is ****'), 'the masked log line is stored');
      assert.deepEqual(leaks(dump.stdout), [], 'sqlite3 .dump shows a secret in clear');
    }

    const start = () => startPlatform({ port: 0, dataDir: t.dataDir, store: 'sqlite', logLevel: 'silent', prestartedRuntimes: 0 }, { logger: silentLogger });
    renameSync(keyFile, `${keyFile}.away`);
    await assert.rejects(start(), /master key file .*master\.key is missing, but the store holds secrets/);
    writeFileSync(keyFile, `selfless-master-key-v1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await assert.rejects(start(), /is not the key this store's secrets are encrypted under/);
    renameSync(`${keyFile}.away`, keyFile);
    const again = await start();
    const sm = new SecretsManagerClient({ endpoint: again.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'at-rest' }))).SecretString, `${SECRET}-v2`);
    } finally {
      sm.destroy();
      await again.stop();
    }
  });

  it('PostgreSQL: no table holds a secret in clear', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, async () => {
    const schema = await testSchema();
    const t = await startTestPlatform({ store: schema.url });
    stops.push(async () => {
      await t.stop(true);
      await schema.drop();
    });
    await writeSecrets(t);
    const ssm = new SSMClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/at-rest/param', WithDecryption: true }))).Parameter!.Value, SECURE_PARAM);
    ssm.destroy();
    await t.platform.stop();

    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
      assert.ok(tables.some((x) => x.table_name === 'ssm_parameters'));
      for (const { table_name } of tables) {
        const { rows } = await client.query(`SELECT * FROM "${table_name}"`);
        const text = JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
        assert.deepEqual(leaks(text), [], `table ${table_name}`);
      }
    } finally {
      await client.end();
    }
  });
});
