import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../src/lib/clock.js';
import { apiGatewayClient, deploy, httpCall } from '../helpers/execute-api.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const KEY = 'gold-key-0123456789abcdef';

describe('REST APIs: API keys and usage plans (throttle and quota, on a stepped clock)', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let apiId: string;
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
  const call = (path: string, key?: string) => httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod${path}`, { headers: key ? { 'x-api-key': key } : {} });

  before(async () => {
    t = await startTestPlatform({}, undefined, { apigatewayClock: clock });
    client = apiGatewayClient(t.platform.url);
    const api = await client.send(new CreateRestApiCommand({ name: 'metered' }));
    apiId = api.id!;
    for (const [part, apiKeyRequired] of [['items', true], ['open', false]] as const) {
      const r = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId, pathPart: part }));
      await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired }));
      await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await client.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
    }
    await deploy(client, apiId, 'prod');
    const gold = await client.send(new CreateApiKeyCommand({ name: 'gold', enabled: true, value: KEY }));
    const disabled = await client.send(new CreateApiKeyCommand({ name: 'disabled', enabled: false, value: 'disabled-key-0123456789' }));
    await client.send(new CreateApiKeyCommand({ name: 'planless', enabled: true, value: 'planless-key-0123456789' }));
    const elsewhere = await client.send(new CreateApiKeyCommand({ name: 'elsewhere', enabled: true, value: 'elsewhere-key-0123456789' }));
    const plan = await client.send(
      new CreateUsagePlanCommand({ name: 'gold', apiStages: [{ apiId, stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 2 }, quota: { limit: 5, period: 'DAY' } }),
    );
    const other = await client.send(new CreateUsagePlanCommand({ name: 'other-stage', apiStages: [{ apiId, stage: 'dev' }] }));
    for (const keyId of [gold.id!, disabled.id!]) await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId, keyType: 'API_KEY' }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id, keyId: elsewhere.id, keyType: 'API_KEY' }));
    const keys = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    assert.deepEqual(keys.items?.map((k) => k.name).sort(), ['disabled', 'gold']);
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it("lists keys without their values unless asked, as AWS does", async () => {
    const hidden = await client.send(new GetApiKeysCommand({ nameQuery: 'gold' }));
    assert.equal(hidden.items?.[0]?.value, undefined);
    const shown = await client.send(new GetApiKeysCommand({ nameQuery: 'gold', includeValues: true }));
    assert.equal(shown.items?.[0]?.value, KEY);
  });

  it('refuses a missing, unknown, disabled or planless key with 403 Forbidden; a method without the requirement needs none', async () => {
    for (const key of [undefined, 'no-such-key-0123456789', 'disabled-key-0123456789', 'planless-key-0123456789', 'elsewhere-key-0123456789']) {
      const res = await call('/items', key);
      assert.equal(res.status, 403, String(key));
      assert.equal(res.text, '{"message":"Forbidden"}', String(key));
    }
    assert.equal((await call('/open')).status, 200);
  });

  it("throttles by the plan's token bucket, then stops at its quota until the next period", async () => {
    assert.equal((await call('/items', KEY)).status, 200);
    assert.equal((await call('/items', KEY)).status, 200, 'the burst holds two');
    const throttled = await call('/items', KEY);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.text, '{"message":"Too Many Requests"}');
    clock.advance(1000); // one token back at 1 request per second
    assert.equal((await call('/items', KEY)).status, 200);
    assert.equal((await call('/items', KEY)).status, 429);
    clock.advance(10_000);
    assert.equal((await call('/items', KEY)).status, 200);
    assert.equal((await call('/items', KEY)).status, 200, 'five requests in the day: the quota is used up');
    clock.advance(10_000);
    const over = await call('/items', KEY);
    assert.equal(over.status, 429);
    assert.equal(over.text, '{"message":"Limit Exceeded"}');
    clock.advance(24 * 3_600_000); // the next UTC day
    assert.equal((await call('/items', KEY)).status, 200);
  });

  it("throttles a whole stage by its method settings, keys or not", async () => {
    await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1' },
        ],
      }),
    );
    clock.advance(60_000);
    assert.equal((await call('/open')).status, 200);
    const throttled = await call('/open');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.text, '{"message":"Too Many Requests"}');
    clock.advance(1000);
    assert.equal((await call('/open')).status, 200);
  });
});
