/**
 * Tenant isolation (TenancyConfig PER_TENANT): each tenant id gets environments of its own, the
 * runtime is told the tenant, and Lambda's rules on when a tenant id must, or must not, be given.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  waitUntilFunctionActiveV2,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const NODE_HANDLER = 'exports.handler = async (event, context) => ({ tenant: context.tenantId, instance: context.logStreamName });';
const PYTHON_HANDLER = 'def handler(event, context):\n    return {"tenant": context.tenant_id, "instance": context.log_stream_name}\n';

describe('tenant isolation', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  async function deploy(name: string, runtime: string, files: Record<string, string>, handler: string, isolated: boolean): Promise<void> {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: runtime as Runtime,
        Role: ROLE,
        Handler: handler,
        Code: { ZipFile: await zipEntries(files) },
        ...(isolated ? { TenancyConfig: { TenantIsolationMode: 'PER_TENANT' } } : {}),
      }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
  }
  const run = async (name: string, tenant?: string) =>
    decode((await t.lambda.send(new InvokeCommand({ FunctionName: name, ...(tenant ? { TenantId: tenant } : {}) }))).Payload) as { tenant: string; instance: string };

  it('keeps each tenant on environments of its own and tells the function its tenant', async () => {
    await deploy('saas', 'nodejs20.x', { 'index.js': NODE_HANDLER }, 'index.handler', true);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'saas' }));
    assert.deepEqual(config.TenancyConfig, { TenantIsolationMode: 'PER_TENANT' });
    const blue = [await run('saas', 'blue'), await run('saas', 'blue')];
    const green = [await run('saas', 'green'), await run('saas', 'green')];
    assert.deepEqual([...blue, ...green].map((r) => r.tenant), ['blue', 'blue', 'green', 'green']);
    // Warm reuse within a tenant, never across tenants, though blue's environment sat idle when green came.
    assert.equal(blue[0]!.instance, blue[1]!.instance);
    assert.equal(green[0]!.instance, green[1]!.instance);
    assert.notEqual(blue[0]!.instance, green[0]!.instance);
  });

  it('passes the tenant to Python functions as context.tenant_id', async () => {
    await deploy('saas-py', 'python3.11', { 'app.py': PYTHON_HANDLER }, 'app.handler', true);
    const [a, b] = [await run('saas-py', 'acme'), await run('saas-py', 'globex')];
    assert.equal(a.tenant, 'acme');
    assert.equal(b.tenant, 'globex');
    assert.notEqual(a.instance, b.instance);
  });

  it('refuses an invocation without a tenant id, and a tenant id for a function without isolation', async () => {
    await deploy('shared', 'nodejs20.x', { 'index.js': NODE_HANDLER }, 'index.handler', false);
    for (const [name, tenant] of [
      ['saas', undefined],
      ['shared', 'blue'],
    ] as const) {
      for (const type of ['RequestResponse', 'Event'] as const) {
        await assert.rejects(
          t.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: type, ...(tenant ? { TenantId: tenant } : {}) })),
          (err: unknown) => err instanceof InvalidParameterValueException && err.$metadata.httpStatusCode === 400,
        );
      }
    }
    const accepted = await t.lambda.send(new InvokeCommand({ FunctionName: 'saas', InvocationType: 'Event', TenantId: 'blue' }));
    assert.equal(accepted.StatusCode, 202);
  });
});
