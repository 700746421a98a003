import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateStackCommand, DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { cfnSuite, clientConfig, settledStack } from '../helpers/cloudformation.js';
import { ROLE, type TestPlatform } from '../helpers/platform.js';

describe('CloudFormation and SSM: parameter types and dynamic references', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  let ssm: SSMClient;
  cfnSuite((s) => {
    ({ t, cfn, sqs } = s);
    ssm = new SSMClient(clientConfig(t));
  });
  after(() => ssm.destroy());

  it('resolves SSM parameter types and {{resolve:ssm}} at deploy, but leaves references in a function\'s Environment for the platform', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/cfn/visibility', Value: '77', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/cfn/queue-name', Value: 'from-ssm', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/cfn/greeting', Value: 'hello from ssm', Type: 'String' }));
    const body = {
      Parameters: { QueueName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cfn/queue-name' } },
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'QueueName' }, VisibilityTimeout: '{{resolve:ssm:/cfn/visibility}}' } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Role: ROLE,
            Environment: { Variables: { GREETING: '{{resolve:ssm:/cfn/greeting}}' } },
            Code: { ZipFile: 'exports.handler = async () => process.env.GREETING;' },
          },
        },
      },
      Outputs: { Url: { Value: { Ref: 'Q' } }, Fn: { Value: { Ref: 'Fn' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'refs', TemplateBody: JSON.stringify(body) }));
    const stack = await settledStack(cfn, 'refs');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.match(outputs['Url']!, /\/from-ssm$/);
    const described = (await cfn.send(new DescribeStacksCommand({ StackName: 'refs' }))).Stacks![0]!.Parameters![0]!;
    assert.deepEqual([described.ParameterValue, described.ResolvedValue], ['/cfn/queue-name', 'from-ssm']);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs['Url']!, AttributeNames: ['VisibilityTimeout'] }));
    assert.equal(attrs.Attributes?.['VisibilityTimeout'], '77');
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: outputs['Fn'] }));
    assert.equal(config.Environment?.Variables?.['GREETING'], '{{resolve:ssm:/cfn/greeting}}', 'the configuration keeps the reference');
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: outputs['Fn'] }));
    assert.equal(JSON.parse(Buffer.from(out.Payload!).toString()), 'hello from ssm', 'the function sees the value');
  });

  it('refuses a stack whose SSM parameter does not exist, as a ValidationError to the caller', async () => {
    const body = { Parameters: { P: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cfn/missing' } }, Resources: { Q: { Type: 'AWS::SQS::Queue' } } };
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'refs-missing', TemplateBody: JSON.stringify(body) })), (e: Error) => e.name === 'ValidationError' && /\/cfn\/missing/.test(e.message));
  });
});
