import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError, CATALOGS, isResourceNotFound, isThrottled, type ErrorEntry } from '../../src/wire/errors.js';
import * as models from '../../src/wire/model.js';

const MODELS: Record<Exclude<keyof typeof CATALOGS, 'protocol' | 'signature'>, models.ServiceModel> = {
  lambda: models.lambdaServiceModel,
  logs: models.logsServiceModel,
  sqs: models.sqsServiceModel,
  sts: models.stsServiceModel,
  s3: models.s3ServiceModel,
  secretsmanager: models.secretsManagerServiceModel,
  ssm: models.ssmServiceModel,
  kms: models.kmsServiceModel,
  cloudwatch: models.cloudwatchServiceModel,
  dynamodb: models.dynamodbServiceModel,
  dynamodbstreams: models.dynamodbStreamsServiceModel,
  sns: models.snsServiceModel,
  events: models.eventsServiceModel,
  scheduler: models.schedulerServiceModel,
  apigateway: models.apigatewayServiceModel,
  apigatewayv2: models.apigatewayv2ServiceModel,
  iam: models.iamServiceModel,
  ecr: models.ecrServiceModel,
  kinesis: models.kinesisServiceModel,
  cloudformation: models.cloudformationServiceModel,
  codedeploy: models.codedeployServiceModel,
  apigatewaymanagementapi: models.apigatewaymanagementapiServiceModel,
};

const entries = (catalog: Record<string, ErrorEntry<never[]>>) => Object.entries(catalog);

describe('the error catalog', () => {
  for (const [service, model] of Object.entries(MODELS)) {
    it(`${service}: every kind is an exception of the model, with its status and query code where the model says them`, () => {
      for (const [key, entry] of entries(CATALOGS[service as keyof typeof MODELS] as never)) {
        const { kind } = entry;
        const shape = model.shapes[kind.name];
        if (kind.outsideModel !== undefined) {
          assert.ok(!shape?.exception, `${service}.${key}: ${kind.name} is in the model, so it is not outside it`);
          continue;
        }
        assert.ok(shape?.exception, `${service}.${key}: ${kind.name} is not an exception of the ${service} model`);
        if (shape.error?.httpStatusCode !== undefined) assert.equal(kind.status, shape.error.httpStatusCode, `${service}.${key}: status`);
        if (shape.error?.code !== undefined) assert.equal(kind.queryCode, shape.error.code, `${service}.${key}: query code`);
        if (shape.error?.senderFault !== undefined) assert.equal(kind.fault, shape.error.senderFault ? 'Sender' : 'Receiver', `${service}.${key}: fault`);
      }
    });
  }

  it("the protocols' own kinds are AWS's common errors, outside every model, with a reason each", () => {
    for (const [key, entry] of [...entries(CATALOGS.protocol as never), ...entries(CATALOGS.signature as never)]) {
      assert.ok(entry.kind.outsideModel, `protocol.${key} says why it is outside the models`);
      assert.ok(entry.kind.status >= 400 && entry.kind.status < 600, `protocol.${key}: status`);
    }
  });

  it('one kind per name and status within a service: its entries differ only in their messages', () => {
    for (const [service, catalog] of Object.entries(CATALOGS)) {
      const seen = new Map<string, unknown>();
      for (const [key, entry] of entries(catalog as never)) {
        const id = `${entry.kind.name} ${entry.kind.status}`;
        const other = seen.get(id);
        if (other !== undefined) assert.equal(entry.kind, other, `${service}.${key} shares ${id} with another kind`);
        seen.set(id, entry.kind);
      }
    }
  });

  it('predicates tell errors apart by kind, whatever the service', () => {
    assert.ok(isResourceNotFound(CATALOGS.lambda.functionNotFound('arn')));
    assert.ok(isResourceNotFound(CATALOGS.logs.resourceNotFound('gone')));
    assert.ok(!isResourceNotFound(CATALOGS.sqs.queueDoesNotExist()));
    assert.ok(isThrottled(CATALOGS.lambda.tooManyRequests('ConcurrentInvocationLimitExceeded')));
    assert.ok(!isThrottled(new Error('TooManyRequestsException')));
    const e = CATALOGS.lambda.tooManyRequests('CallerRateLimitExceeded', 3);
    assert.ok(e instanceof AwsError);
    assert.deepEqual([e.message, e.fields, e.headers], ['Rate Exceeded.', { Reason: 'CallerRateLimitExceeded' }, { 'Retry-After': '3' }]);
  });
});
