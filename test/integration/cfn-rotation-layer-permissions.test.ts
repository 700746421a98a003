/**
 * AWS::SecretsManager::RotationSchedule and AWS::Lambda::LayerVersionPermission through a stack: the
 * schedule rotates the stack's secret with the stack's own rotation function and follows an update; the
 * layer permission puts a statement in the layer version's policy; both go when removed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetLayerVersionPolicyCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { fixtureZip, FIXTURES, type TestPlatform } from '../helpers/platform.js';

const ROTATOR = readFileSync(join(FIXTURES, 'rotation', 'index.js'), 'utf8');
const ROTATOR_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:stack-rotator';

const secretStack = (schedule?: Record<string, unknown>) => ({
  Resources: {
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'rotated-by-stack', SecretString: JSON.stringify({ user: 'app', password: 'initial' }) } },
    Rotator: {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: 'stack-rotator', Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 30, Role: 'arn:aws:iam::000000000000:role/rotator', Code: { ZipFile: ROTATOR } },
    },
    ...(schedule ? { Schedule: { Type: 'AWS::SecretsManager::RotationSchedule', Properties: { SecretId: { Ref: 'Secret' }, RotationLambdaARN: { 'Fn::GetAtt': ['Rotator', 'Arn'] }, ...schedule } } } : {}),
  },
  Outputs: {
    Secret: { Value: { Ref: 'Secret' } },
    ...(schedule ? { Schedule: { Value: { Ref: 'Schedule' } }, ScheduleId: { Value: { 'Fn::GetAtt': ['Schedule', 'Id'] } } } : {}),
  },
});

const layerStack = (layerVersionArn: string, principal: string) => ({
  Resources: { Share: { Type: 'AWS::Lambda::LayerVersionPermission', Properties: { Action: 'lambda:GetLayerVersion', LayerVersionArn: layerVersionArn, Principal: principal } } },
  Outputs: { Share: { Value: { Ref: 'Share' } }, ShareId: { Value: { 'Fn::GetAtt': ['Share', 'Id'] } } },
});

describe('CloudFormation: rotation schedules and layer version permissions', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sm: SecretsManagerClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    sm = new SecretsManagerClient(clientConfig(t));
  });
  after(() => sm.destroy());

  const settle = async (name: string) => {
    const stack = await settledStack(cfn, name, 120_000);
    const reasons = (await eventsOf(cfn, name)).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const value = async (arn: string) => JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!) as { password: string; rotations?: number };

  it('AWS::SecretsManager::RotationSchedule: rotates the secret with the stack\'s function at once; Ref and Id are the secret\'s ARN', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'rotation', TemplateBody: JSON.stringify(secretStack({ RotationRules: { AutomaticallyAfterDays: 30 } })) }));
    const { status, reasons, out } = await settle('rotation');
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const arn = out.get('Secret')!;
    assert.equal(out.get('Schedule'), arn);
    assert.equal(out.get('ScheduleId'), arn);
    const meta = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    assert.equal(meta.RotationEnabled, true);
    assert.equal(meta.RotationLambdaARN, ROTATOR_ARN);
    assert.equal(meta.RotationRules?.AutomaticallyAfterDays, 30);
    assert.ok(meta.LastRotatedDate, 'rotated once');
    const rotated = await value(arn);
    assert.equal(rotated.rotations, 1, 'the function ran its four steps');
    assert.notEqual(rotated.password, 'initial');
  });

  it('an update changes the rules in place, rotating again unless RotateImmediatelyOnUpdate is false', async () => {
    await cfn.send(new UpdateStackCommand({ StackName: 'rotation', TemplateBody: JSON.stringify(secretStack({ RotationRules: { AutomaticallyAfterDays: 10 }, RotateImmediatelyOnUpdate: false })) }));
    let { status, reasons, out } = await settle('rotation');
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    const arn = out.get('Secret')!;
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).RotationRules?.AutomaticallyAfterDays, 10);
    assert.equal((await value(arn)).rotations, 1, 'not rotated on this update');

    await cfn.send(new UpdateStackCommand({ StackName: 'rotation', TemplateBody: JSON.stringify(secretStack({ RotationRules: { AutomaticallyAfterDays: 5 } })) }));
    ({ status, reasons } = await settle('rotation'));
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).RotationRules?.AutomaticallyAfterDays, 5);
    assert.equal((await value(arn)).rotations, 2, 'rotated on this update');
  });

  it('removing the schedule turns rotation off and keeps the secret', async () => {
    await cfn.send(new UpdateStackCommand({ StackName: 'rotation', TemplateBody: JSON.stringify(secretStack()) }));
    const { status, reasons, out, stackId } = await settle('rotation');
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    const meta = await sm.send(new DescribeSecretCommand({ SecretId: out.get('Secret')! }));
    assert.equal(meta.RotationEnabled, false);
    assert.equal((await value(out.get('Secret')!)).rotations, 2);
    await cfn.send(new DeleteStackCommand({ StackName: 'rotation' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
  });

  it('a schedule whose function fails fails the stack, naming the step, and leaves rotation off', async () => {
    const template = secretStack({ RotationRules: { AutomaticallyAfterDays: 30 } });
    (template.Resources as Record<string, { Properties: Record<string, unknown> }>)['Schedule']!.Properties['RotationLambdaARN'] = 'arn:aws:lambda:us-east-1:000000000000:function:no-such-rotator';
    await cfn.send(new CreateStackCommand({ StackName: 'rotation-failing', TemplateBody: JSON.stringify(template), DisableRollback: true }));
    const { status, reasons, stackId } = await settle('rotation-failing');
    assert.equal(status, 'CREATE_FAILED');
    assert.match(reasons, /Schedule: .*createSecret step/);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: 'rotated-by-stack' }))).RotationEnabled, false);
    await cfn.send(new DeleteStackCommand({ StackName: 'rotation-failing' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
  });

  it('AWS::Lambda::LayerVersionPermission: a statement in the layer version\'s policy, replaced when its principal changes, removed with the stack', async () => {
    const layer = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared-by-stack', Content: { ZipFile: await fixtureZip('rotation') } }));
    const policy = async () => JSON.parse((await t.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared-by-stack', VersionNumber: layer.Version }))).Policy!) as { Statement: { Sid: string; Principal: unknown; Action: string; Resource: string }[] };

    await cfn.send(new CreateStackCommand({ StackName: 'layer-share', TemplateBody: JSON.stringify(layerStack(layer.LayerVersionArn!, '111122223333')) }));
    let { status, reasons, out } = await settle('layer-share');
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const ref = out.get('Share')!;
    assert.equal(out.get('ShareId'), ref);
    const [arn, sid] = ref.split('#');
    assert.equal(arn, layer.LayerVersionArn);
    let statements = (await policy()).Statement;
    assert.deepEqual(statements.map((s) => [s.Sid, s.Principal, s.Action, s.Resource]), [[sid, { AWS: 'arn:aws:iam::111122223333:root' }, 'lambda:GetLayerVersion', layer.LayerVersionArn]]);

    await cfn.send(new UpdateStackCommand({ StackName: 'layer-share', TemplateBody: JSON.stringify(layerStack(layer.LayerVersionArn!, '*')) }));
    ({ status, reasons, out } = await settle('layer-share'));
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.notEqual(out.get('Share'), ref, 'a new statement replaces the old one');
    statements = (await policy()).Statement;
    assert.deepEqual(statements.map((s) => [s.Sid, s.Principal]), [[out.get('Share')!.split('#')[1], '*']]);

    const { stackId } = await settle('layer-share');
    await cfn.send(new DeleteStackCommand({ StackName: 'layer-share' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(policy(), { name: 'ResourceNotFoundException' });
  });
});
