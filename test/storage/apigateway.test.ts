import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiKeyRecord, RestApiRecord, StageRecord, UsagePlanRecord } from '../../src/services/apigateway/model.js';
import type { DomainRecord } from '../../src/services/apigateway/domains/records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const api = (id: string, name = 'pets'): RestApiRecord => ({
  id,
  name,
  createdDate: 1_000,
  binaryMediaTypes: ['image/png'],
  apiKeySource: 'HEADER',
  endpointTypes: ['EDGE'],
  disableExecuteApiEndpoint: false,
  tags: { team: 'a' },
  rootResourceId: 'root000001',
  resources: {
    root000001: { id: 'root000001', path: '/', methods: {} },
    res0000002: {
      id: 'res0000002',
      parentId: 'root000001',
      pathPart: '{proxy+}',
      path: '/{proxy+}',
      methods: {
        ANY: {
          httpMethod: 'ANY',
          authorizationType: 'CUSTOM',
          authorizerId: 'auth01',
          apiKeyRequired: true,
          methodResponses: { '200': { statusCode: '200' } },
          integration: {
            type: 'MOCK',
            timeoutInMillis: 29_000,
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: { '200': { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '{}' } } },
          },
        },
      },
    },
  },
  authorizers: { auth01: { id: 'auth01', name: 'tok', type: 'TOKEN', authorizerResultTtlInSeconds: 300, identitySource: 'method.request.header.Authorization' } },
});

const stage = (apiId: string, name: string): StageRecord => ({
  restApiId: apiId,
  stageName: name,
  deploymentId: 'dep1',
  variables: { v: '1' },
  tracingEnabled: false,
  cacheClusterEnabled: false,
  methodSettings: { '*/*': { throttlingRateLimit: 10, throttlingBurstLimit: 5 } },
  tags: {},
  createdDate: 1,
  lastUpdatedDate: 2,
});

describe(`API Gateway REST APIs (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('keeps an API document whole, with its resource tree, and compares revisions on update', async () => {
    const { restApis } = t().store.apigateway;
    assert.equal(await restApis.create('abc0000001', api('abc0000001')), true);
    assert.equal(await restApis.create('abc0000001', api('abc0000001', 'other')), false, 'an id is taken once');
    const got = await restApis.get('abc0000001');
    assert.deepEqual(got?.value, api('abc0000001'));
    assert.equal(await restApis.update('abc0000001', { ...got!.value, name: 'renamed' }, got!.revision), true);
    assert.equal(await restApis.update('abc0000001', { ...got!.value, name: 'lost' }, got!.revision), false, 'a stale revision loses');
    assert.equal((await restApis.get('abc0000001'))?.value.name, 'renamed');
    await restApis.create('abc0000002', api('abc0000002'));
    assert.deepEqual((await restApis.list('', undefined, 10)).map((r) => r.value.id), ['abc0000001', 'abc0000002']);
    assert.deepEqual((await restApis.list('', 'abc0000001', 10)).map((r) => r.value.id), ['abc0000002']);
    assert.equal(await restApis.delete('abc0000001'), true);
    assert.equal(await restApis.get('abc0000001'), undefined);
  });

  it("lists an API's deployments and stages by prefix, not another API's", async () => {
    const { deployments, stages } = t().store.apigateway;
    for (const [apiId, dep] of [['a1', 'd1'], ['a1', 'd2'], ['a10', 'd3']] as const) {
      await deployments.create(`${apiId}/${dep}`, { id: dep, restApiId: apiId, createdDate: 5, api: api(apiId) });
    }
    assert.deepEqual((await deployments.list('a1/', undefined, 10)).map((d) => d.value.id), ['d1', 'd2']);
    await stages.create('a1/prod', stage('a1', 'prod'));
    await stages.create('a1/dev', stage('a1', 'dev'));
    await stages.create('a10/prod', stage('a10', 'prod'));
    assert.deepEqual((await stages.list('a1/', undefined, 10)).map((s) => s.value.stageName), ['dev', 'prod']);
    assert.deepEqual((await stages.get('a1/prod'))?.value, stage('a1', 'prod'));
  });

  it('keeps API keys and usage plans with their keys, throttle and quota', async () => {
    const { apiKeys, usagePlans } = t().store.apigateway;
    const key: ApiKeyRecord = { id: 'k1', value: 'secretvalue0123456789', name: 'k', enabled: true, stageKeys: [], tags: {}, createdDate: 1, lastUpdatedDate: 1 };
    await apiKeys.create('k1', key);
    assert.deepEqual((await apiKeys.get('k1'))?.value, key);
    const plan: UsagePlanRecord = {
      id: 'p1',
      name: 'gold',
      apiStages: [{ apiId: 'a1', stage: 'prod' }],
      throttle: { rateLimit: 1, burstLimit: 2 },
      quota: { limit: 5, offset: 0, period: 'DAY' },
      keyIds: ['k1'],
      tags: {},
    };
    await usagePlans.create('p1', plan);
    assert.deepEqual((await usagePlans.get('p1'))?.value, plan);
    assert.equal(await apiKeys.delete('k1'), true);
    assert.equal(await apiKeys.delete('k1'), false);
  });

  it("keeps an API's models, request validators and gateway responses in its document, and the account settings", async () => {
    const { restApis, account } = t().store.apigateway;
    const withParts: RestApiRecord = {
      ...api('abc0000009'),
      models: { Pet: { id: 'm1', name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' } },
      requestValidators: { v1: { id: 'v1', name: 'all', validateRequestBody: true, validateRequestParameters: false } },
      gatewayResponses: { DEFAULT_4XX: { responseType: 'DEFAULT_4XX', statusCode: '418', responseParameters: { 'gatewayresponse.header.X': "'y'" }, responseTemplates: {} } },
    };
    await restApis.create('abc0000009', withParts);
    assert.deepEqual((await restApis.get('abc0000009'))?.value, withParts);

    assert.equal(await account.get('account'), undefined);
    assert.equal(await account.create('account', { cloudwatchRoleArn: 'arn:aws:iam::000000000000:role/a' }), true);
    const got = await account.get('account');
    assert.deepEqual(got?.value, { cloudwatchRoleArn: 'arn:aws:iam::000000000000:role/a' });
    assert.equal(await account.update('account', {}, got!.revision), true);
    assert.equal(await account.update('account', { cloudwatchRoleArn: 'lost' }, got!.revision), false, 'a stale revision loses');
    assert.deepEqual((await account.get('account'))?.value, {});
  });
  it('keeps custom domain names with their mappings, by name, with compare-and-set', async () => {
    const { domainNames } = t().store.apigateway;
    const domain: DomainRecord = {
      domainName: 'api.example.com',
      domainNameId: 'abc123defg',
      endpointType: 'REGIONAL',
      regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x',
      securityPolicy: 'TLS_1_2',
      targetDomainName: 'd-abc123defg.execute-api.us-east-1.amazonaws.com',
      certificateUploadDate: 1_000,
      tags: { team: 'a' },
      mappings: [
        { id: 'm00001', key: '', apiId: 'rest000001', stage: 'prod' },
        { id: 'm00002', key: 'v1/orders', apiId: 'http000001', stage: '$default' },
      ],
    };
    assert.equal(await domainNames.create('api.example.com', domain), true);
    assert.equal(await domainNames.create('api.example.com', domain), false, 'a name is created once');
    await domainNames.create('other.example.com', { ...domain, domainName: 'other.example.com', endpointType: 'EDGE', mappings: [] });
    const got = await domainNames.get('api.example.com');
    assert.deepEqual(got?.value, domain);
    assert.deepEqual((await domainNames.list('', undefined, 10)).map((d) => d.value.domainName), ['api.example.com', 'other.example.com']);
    const changed = { ...domain, mappings: domain.mappings.slice(1) };
    assert.equal(await domainNames.update('api.example.com', changed, got!.revision), true);
    assert.equal(await domainNames.update('api.example.com', domain, got!.revision), false, 'a stale revision loses');
    assert.deepEqual((await domainNames.get('api.example.com'))?.value.mappings, [domain.mappings[1]]);
    assert.equal(await domainNames.delete('api.example.com'), true);
    assert.equal(await domainNames.get('api.example.com'), undefined);
  });
});
