import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shapeRefusal } from '../../src/services/apigateway/gateway/refusals.js';
import type { GatewayRequest } from '../../src/services/apigateway/gateway/request.js';
import { Gateway } from '../../src/services/apigateway/gateway/responses.js';
import type { GatewayResponseRecord, RestApiRecord } from '../../src/services/apigateway/model.js';

const req: GatewayRequest = {
  requestId: 'r-1',
  apigwId: 'g',
  apiId: 'a',
  stage: 'prod',
  accountId: '000000000000',
  httpMethod: 'GET',
  path: '/x',
  headers: [['Origin', 'https://app.example'], ['Accept', 'text/html']],
  query: [['q', 'v']],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  domainName: 'a.execute-api.localhost',
  timeEpoch: 0,
  signable: { method: 'GET', path: '/prod/x', query: 'q=v', headers: {}, body: Buffer.alloc(0) },
};

const apiWith = (responses: Record<string, Partial<GatewayResponseRecord>>): RestApiRecord => ({
  id: 'a',
  name: 'a',
  createdDate: 0,
  binaryMediaTypes: [],
  apiKeySource: 'HEADER',
  endpointTypes: ['EDGE'],
  disableExecuteApiEndpoint: false,
  tags: {},
  rootResourceId: 'root',
  resources: {},
  authorizers: {},
  gatewayResponses: Object.fromEntries(Object.entries(responses).map(([t, r]) => [t, { responseType: t, responseParameters: {}, responseTemplates: {}, ...r }])),
});

const scope = { req, context: { requestId: 'r-1', stage: 'prod' }, stageVariables: { team: 'blue' }, pathParameters: { id: '7' } };

describe('gateway responses applied to refusals', () => {
  it('leaves a refusal as API Gateway words it when the API sets nothing for it', () => {
    const shaped = shapeRefusal(Gateway.timeout(), apiWith({ DEFAULT_4XX: { statusCode: '418' } }), scope);
    assert.deepEqual(shaped, { status: 504, headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'InternalServerErrorException' }, body: '{"message": "Endpoint request timed out"}' });
  });

  it("DEFAULT_5XX's status, headers and template stand for a 5XX type that is not set", () => {
    const api = apiWith({
      DEFAULT_5XX: {
        statusCode: '503',
        responseParameters: {
          'gatewayresponse.header.X-Origin': 'method.request.header.origin',
          'gatewayresponse.header.X-Q': 'method.request.querystring.q',
          'gatewayresponse.header.X-Id': 'method.request.path.id',
          'gatewayresponse.header.X-Team': 'stageVariables.team',
          'gatewayresponse.header.X-Request': 'context.requestId',
          'gatewayresponse.header.X-Missing': 'method.request.header.nope',
        },
        responseTemplates: { 'application/json': '{"m":$context.error.messageString,"t":"$context.error.responseType","s":$context.status}', 'text/html': '<p>$context.error.message</p>' },
      },
    });
    const shaped = shapeRefusal(Gateway.badGateway(), api, scope);
    assert.equal(shaped.status, 503);
    assert.equal(shaped.headers['X-Origin'], 'https://app.example');
    assert.equal(shaped.headers['X-Q'], 'v');
    assert.equal(shaped.headers['X-Id'], '7');
    assert.equal(shaped.headers['X-Team'], 'blue');
    assert.equal(shaped.headers['X-Request'], 'r-1');
    assert.equal('X-Missing' in shaped.headers, false);
    assert.equal(shaped.headers['Content-Type'], 'text/html', 'the template for the Accept type');
    assert.equal(shaped.body, '<p>Internal server error</p>');
    const json = shapeRefusal(Gateway.badGateway(), api, { ...scope, req: { ...req, headers: [] } });
    assert.deepEqual(JSON.parse(json.body), { m: 'Internal server error', t: 'INTEGRATION_FAILURE', s: 503 });
  });

  it('a type set itself wins over its family default, and keeps its own status when it sets none', () => {
    const api = apiWith({ DEFAULT_4XX: { statusCode: '400', responseParameters: { 'gatewayresponse.header.X-Family': "'4xx'" } }, THROTTLED: { responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } } });
    const throttled = shapeRefusal(Gateway.throttled(), api, scope);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['Retry-After'], '1');
    assert.equal(throttled.headers['X-Family'], undefined);
    assert.equal(throttled.body, '{"message":"Too Many Requests"}', 'no template: the default body');
    const quota = shapeRefusal(Gateway.quotaExceeded(), api, scope);
    assert.deepEqual([quota.status, quota.headers['X-Family']], [400, '4xx']);
  });
});
