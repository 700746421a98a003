import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

interface Answer {
  status: number;
  type: string | null;
  errorType: string | null;
  queryError: string | null;
  body: string;
}

const signedFor = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

/** The `<Error>` of a query-protocol error body, and its request id. */
function queryError(body: string): { type: string; code: string; message: string; requestId: string } {
  const m = /^<ErrorResponse(?: xmlns="[^"]+")?><Error><Type>(\w+)<\/Type><Code>([^<]+)<\/Code><Message>([^<]*)<\/Message><\/Error><RequestId>([0-9a-f-]{36})<\/RequestId><\/ErrorResponse>$/.exec(body);
  assert.ok(m, `not a query error: ${body}`);
  return { type: m[1]!, code: m[2]!, message: m[3]!, requestId: m[4]! };
}

describe("each protocol answers what it cannot serve in its own error shape", () => {
  let t: TestPlatform;
  const send = async (method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> => {
    const res = await fetch(`${t.platform.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      errorType: res.headers.get('x-amzn-errortype'),
      queryError: res.headers.get('x-amzn-query-error'),
      body: await res.text(),
    };
  };
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  it('query: an unknown action, a missing action and a malformed body get XML, never JSON', async () => {
    const unknown = await send('POST', '/', { 'content-type': FORM, authorization: signedFor('sts') }, 'Action=LaunchRockets&Version=2011-06-15');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.type, 'text/xml');
    assert.match(unknown.body, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    assert.deepEqual({ ...queryError(unknown.body), requestId: '' }, { type: 'Sender', code: 'InvalidAction', message: 'The action LaunchRockets is not valid for this web service.', requestId: '' });

    // A service nobody here serves (RDS): still the query shape, without a namespace.
    const otherService = await send('POST', '/', { 'content-type': FORM, authorization: signedFor('rds') }, 'Action=DescribeDBInstances&Version=2014-10-31');
    assert.equal(otherService.status, 400);
    assert.equal(otherService.type, 'text/xml');
    assert.equal(queryError(otherService.body).code, 'InvalidAction');

    const noAction = await send('POST', '/', { 'content-type': FORM }, 'Version=2012-11-05&QueueName=x');
    assert.equal(noAction.status, 400);
    assert.equal(queryError(noAction.body).code, 'MissingAction');

    const malformed = await send('POST', '/', { 'content-type': FORM, authorization: signedFor('sqs') }, 'Action=ListQueues&Version=2012-11-05&QueueNamePrefix=%zz');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.type, 'text/xml');
    assert.match(malformed.body, /xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"/);
    assert.equal(queryError(malformed.body).code, 'MalformedQueryString');

    const badValue = await send('POST', '/', { 'content-type': FORM }, 'Action=ListQueues&Version=2012-11-05&MaxResults=ten');
    assert.equal(queryError(badValue.body).code, 'MalformedQueryString');

    const invalid = await send('POST', '/', { 'content-type': FORM }, 'Action=AssumeRole&Version=2011-06-15&RoleSessionName=x');
    assert.deepEqual([invalid.status, queryError(invalid.body).code], [400, 'ValidationError']);
    assert.match(queryError(invalid.body).message, /^2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; /);

    // A GET naming an Action speaks the query protocol too.
    const get = await send('GET', '/?Action=GetCallerIdentity&Version=2011-06-15', {});
    assert.equal(get.status, 200);
    assert.match(get.body, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
  });

  it('query: an operation of the model that is not served answers 501 NotImplemented naming it', async () => {
    const res = await send('POST', '/', { 'content-type': FORM }, 'Action=GetFederationToken&Version=2011-06-15&Name=bob');
    assert.equal(res.status, 501);
    assert.deepEqual({ ...queryError(res.body), requestId: '' }, { type: 'Receiver', code: 'NotImplemented', message: 'Selfless does not implement GetFederationToken yet.', requestId: '' });
  });

  it('json: an unknown target, a malformed body and an unserved operation, with the query code for SQS', async () => {
    const json = (target: string, body: string) => send('POST', '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body);
    const unknown = await json('AmazonSQS.LaunchRockets', '{}');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.type, 'application/x-amz-json-1.0; charset=utf-8');
    assert.deepEqual(JSON.parse(unknown.body), { __type: 'com.amazonaws.sqs#UnknownOperationException', message: 'Unknown operation AmazonSQS.LaunchRockets' });
    assert.equal(unknown.queryError, 'UnknownOperationException;Sender');

    const unknownService = await json('Nobody_20260101.Anything', '{}');
    assert.equal(unknownService.status, 400);
    assert.equal(JSON.parse(unknownService.body).message, 'Unknown operation Nobody_20260101.Anything');

    const malformed = await json('AmazonSQS.ListQueues', '{"QueueNamePrefix":');
    assert.equal(malformed.status, 400);
    assert.equal(JSON.parse(malformed.body).__type, 'com.amazonaws.sqs#SerializationException');
    assert.match(JSON.parse(malformed.body).message, /^Could not parse request body into json: /);
    const wrongType = await json('AmazonSQS.ListQueues', '{"MaxResults":"ten"}');
    assert.equal(JSON.parse(wrongType.body).message, 'Could not parse request body into json: MaxResults must be an integer');

    const missing = await json('AmazonSQS.GetQueueUrl', '{"QueueName":"nope"}');
    assert.equal(missing.errorType, 'com.amazonaws.sqs#QueueDoesNotExist');
    assert.equal(missing.queryError, 'AWS.SimpleQueueService.NonExistentQueue;Sender');

    const logs = await send('POST', '/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.CreateExportTask' }, '{"logGroupName":"g","fromTime":0,"to":1,"destination":"b"}');
    assert.equal(logs.status, 501);
    assert.equal(logs.type, 'application/x-amz-json-1.1; charset=utf-8');
    assert.deepEqual(JSON.parse(logs.body), { __type: 'NotImplemented', message: 'Selfless does not implement CreateExportTask yet.' });
    assert.equal(logs.queryError, null, 'CloudWatch Logs was never a query service');
  });

  it('rest-json: an unknown route, a malformed body and an unserved operation', async () => {
    const unknown = await send('GET', '/2015-03-31/rockets', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.errorType, 'UnknownOperationException');
    assert.deepEqual(JSON.parse(unknown.body), { Type: 'User', Message: 'The requested operation is not recognized by the service.' });

    const malformed = await send('POST', '/2015-03-31/functions', { 'content-type': 'application/json' }, '{"FunctionName":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.errorType, 'InvalidRequestContentException');
    assert.match(JSON.parse(malformed.body).message, /^Could not parse request body into json: /);

    const unserved = await send('GET', '/2020-04-22/code-signing-configs', {});
    assert.equal(unserved.status, 501);
    assert.equal(unserved.errorType, 'NotImplemented');
    assert.deepEqual(JSON.parse(unserved.body), { Type: 'Service', Message: 'Selfless does not implement ListCodeSigningConfigs yet.' });
  });
});
