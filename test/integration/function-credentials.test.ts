/** Each function acts as a session of its own execution role, as on Lambda. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const WHO_AM_I = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const sts = new STSClient({});
exports.handler = async () => {
  const me = await sts.send(new GetCallerIdentityCommand({}));
  return { arn: me.Arn, account: me.Account, key: process.env.AWS_ACCESS_KEY_ID, hasToken: Boolean(process.env.AWS_SESSION_TOKEN) };
};`;

describe('credentials per function', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    const zip = await zipEntries({ 'index.js': WHO_AM_I });
    for (const [name, role] of [
      ['orders-api', 'arn:aws:iam::000000000000:role/service-role/orders-api-role'],
      ['billing', 'arn:aws:iam::000000000000:role/billing-role'],
    ] as const) {
      await t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: role, Code: { ZipFile: zip } }));
      await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
    }
  });
  after(() => t.stop());

  const whoAmI = async (name: string) => {
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: name }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return decode(out.Payload) as { arn: string; account: string; key: string; hasToken: boolean };
  };

  it('gives each function a session of its role, named after the function, that STS recognises', async () => {
    const orders = await whoAmI('orders-api');
    const billing = await whoAmI('billing');
    assert.equal(orders.arn, 'arn:aws:sts::000000000000:assumed-role/orders-api-role/orders-api');
    assert.equal(billing.arn, 'arn:aws:sts::000000000000:assumed-role/billing-role/billing');
    assert.equal(orders.account, '000000000000');
    assert.match(orders.key, /^ASIA[A-Z2-7]{16}$/);
    assert.notEqual(orders.key, billing.key);
    assert.ok(orders.hasToken && billing.hasToken);
    // A warm environment keeps its session.
    assert.equal((await whoAmI('orders-api')).key, orders.key);
  });

  it('gives each new environment a session of its own: keys rotate as environments come and go', async () => {
    const before = await whoAmI('billing');
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'billing', Description: 'a new environment' }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'billing' });
    const after = await whoAmI('billing');
    assert.notEqual(after.key, before.key);
    assert.equal(after.arn, before.arn, 'the same function, the same role session name');
  });
});
