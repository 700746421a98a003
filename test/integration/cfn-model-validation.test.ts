import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, DescribeStackResourceCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateFunctionCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { AwsError } from '../../src/wire/errors.js';
import { cfnSuite, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ROLE, type TestPlatform } from '../helpers/platform.js';

/** What a client sees of a refusal, and what an in-process caller sees of one: the same name and message. */
async function clientRefusal(send: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await send();
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('the client call was not refused');
}

async function inProcessRefusal(call: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call();
  } catch (err) {
    assert.ok(err instanceof AwsError, `an AWS error, not ${String(err)}`);
    return { name: err.name, message: err.message };
  }
  throw new Error('the in-process call was not refused');
}

async function failedReason(cfn: CloudFormationClient, stack: string, resource: string): Promise<string> {
  await settledStack(cfn, stack);
  const failed = (await eventsOf(cfn, stack)).find((e) => e.LogicalResourceId === resource && e.ResourceStatus === 'CREATE_FAILED');
  assert.ok(failed, `${resource} has a CREATE_FAILED event`);
  return failed.ResourceStatusReason ?? '';
}

describe('in-process calls are validated against the service model, as client calls are', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  cfnSuite((s) => ({ t, cfn, sqs } = s));

  const fn = { FunctionName: 'mv-fn', Runtime: 'nodejs20.x' as const, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: Buffer.from('not a zip, never read') } };

  it('router.call refuses a constraint violation with the ValidationException a client gets', async () => {
    const client = await clientRefusal(() => t.lambda.send(new CreateFunctionCommand({ ...fn, MemorySize: 64 })));
    assert.equal(client.name, 'ValidationException');
    assert.match(client.message, /Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    assert.deepEqual(await inProcessRefusal(() => t.platform.router.call('lambda', 'CreateFunction', { ...fn, MemorySize: 64 })), client);
  });

  it('router.call refuses a value of the wrong type with the error a client gets', async () => {
    const client = await clientRefusal(() => sqs.send(new CreateQueueCommand({ QueueName: 42 as unknown as string })));
    assert.match(client.message, /QueueName must be a string/);
    assert.deepEqual(await inProcessRefusal(() => t.platform.router.call('sqs', 'CreateQueue', { QueueName: 42 })), client);
    await assert.rejects(t.platform.router.call('sqs', 'CreateQueue', {}), (err: Error) => err.name === 'ValidationException' && /Value null at 'queueName' failed to satisfy constraint: Member must not be null/.test(err.message));
  });

  it("fails a resource whose property breaks the model with the service's own validation message", async () => {
    const body = {
      Resources: {
        Small: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, MemorySize: 64, Code: { ZipFile: 'exports.handler = async () => 1;' } } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'mv-small', TemplateBody: JSON.stringify(body), DisableRollback: true }));
    assert.match(await failedReason(cfn, 'mv-small', 'Small'), /1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    await cfn.send(new DeleteStackCommand({ StackName: 'mv-small' }));
  });

  it('fails a resource whose property has the wrong type with the type error a client gets', async () => {
    const body = {
      Resources: {
        Lots: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, MemorySize: 'lots', Code: { ZipFile: 'exports.handler = async () => 1;' } } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'mv-lots', TemplateBody: JSON.stringify(body), DisableRollback: true }));
    assert.match(await failedReason(cfn, 'mv-lots', 'Lots'), /MemorySize must be an integer/);
    await cfn.send(new DeleteStackCommand({ StackName: 'mv-lots' }));
  });

  it('numbers written as text in a template (parameters, Refs, quoted values) still reach the model as numbers', async () => {
    const body = {
      Parameters: { Memory: { Type: 'Number', Default: 256 } },
      Resources: {
        Texty: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, MemorySize: { Ref: 'Memory' }, Timeout: '7', EphemeralStorage: { Size: '1024' }, Code: { ZipFile: 'exports.handler = async () => 1;' } },
        },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'mv-texty', TemplateBody: JSON.stringify(body) }));
    assert.equal((await settledStack(cfn, 'mv-texty')).StackStatus, 'CREATE_COMPLETE');
    const name = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'mv-texty', LogicalResourceId: 'Texty' }))).StackResourceDetail!.PhysicalResourceId!;
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.deepEqual([config.MemorySize, config.Timeout, config.EphemeralStorage?.Size], [256, 7, 1024]);
    await cfn.send(new DeleteStackCommand({ StackName: 'mv-texty' }));
  });
});
