/**
 * Lambda Managed Instances, the API half: capacity providers, functions placed on them (published
 * versions only, `$LATEST.PUBLISHED`), scaling configs and the versions listed by provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ListVersionsByFunctionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  CreateCapacityProviderCommand,
  CreateFunctionCommand,
  DeleteCapacityProviderCommand,
  DeleteFunctionCommand,
  GetCapacityProviderCommand,
  GetFunctionConfigurationCommand,
  GetFunctionScalingConfigCommand,
  InvokeCommand,
  ListCapacityProvidersCommand,
  ListFunctionVersionsByCapacityProviderCommand,
  ListTagsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  PutFunctionScalingConfigCommand,
  TagResourceCommand,
  UpdateCapacityProviderCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type CreateCapacityProviderCommandInput,
} from '@aws-sdk/client-lambda';
import { ROLE, createFunction, decode, fixtureZip, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';

const ACCOUNT = '000000000000';
const providerArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:capacity-provider:${name}`;
const fnArn = (name: string, q?: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${q ? `:${q}` : ''}`;
const declared = (name: string, extra: Partial<CreateCapacityProviderCommandInput> = {}): CreateCapacityProviderCommandInput => ({
  CapacityProviderName: name,
  VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] },
  PermissionsConfig: { CapacityProviderOperatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/operator` },
  ...extra,
});

type Echo = { env: Record<string, string>; context: { functionVersion: string; invokedFunctionArn: string } };

describe('capacity providers (Lambda Managed Instances)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  const errorOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );
    assert.ok(err, 'the call should have failed');
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  };
  const onProvider = async (name: string, provider: string, extra: Record<string, unknown> = {}) => {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await fixtureZip('echo') },
        CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: providerArn(provider) } },
        ...extra,
      }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  };

  it('creates, reads, lists page by page, updates, tags and deletes a provider, with the model status codes', async () => {
    const created = await t.lambda.send(
      new CreateCapacityProviderCommand(
        declared('shared', {
          InstanceRequirements: { Architectures: ['x86_64'], AllowedInstanceTypes: ['m7i.large'] },
          CapacityProviderScalingConfig: { MaxVCpuCount: 8 },
          KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`,
          Tags: { team: 'web' },
        }),
      ),
    );
    assert.equal(created.$metadata.httpStatusCode, 202);
    const p = created.CapacityProvider!;
    assert.equal(p.CapacityProviderArn, providerArn('shared'));
    assert.equal(p.State, 'Active');
    assert.deepEqual(p.VpcConfig, { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] });
    assert.equal(p.PermissionsConfig?.CapacityProviderOperatorRoleArn, `arn:aws:iam::${ACCOUNT}:role/operator`);
    assert.deepEqual(p.InstanceRequirements, { Architectures: ['x86_64'], AllowedInstanceTypes: ['m7i.large'] });
    assert.deepEqual(p.CapacityProviderScalingConfig, { MaxVCpuCount: 8, ScalingMode: 'Auto' });
    assert.equal(p.KmsKeyArn, `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`);

    const got = await t.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: providerArn('shared') }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.deepEqual(got.CapacityProvider, p);

    await t.lambda.send(new CreateCapacityProviderCommand(declared('other')));
    const first = await t.lambda.send(new ListCapacityProvidersCommand({ MaxItems: 1 }));
    assert.deepEqual(first.CapacityProviders?.map((x) => x.CapacityProviderArn), [providerArn('other')]);
    assert.ok(first.NextMarker);
    const second = await t.lambda.send(new ListCapacityProvidersCommand({ MaxItems: 1, Marker: first.NextMarker }));
    assert.deepEqual(second.CapacityProviders?.map((x) => x.CapacityProviderArn), [providerArn('shared')]);
    assert.equal(second.NextMarker, undefined);
    assert.equal((await t.lambda.send(new ListCapacityProvidersCommand({ State: 'Pending' }))).CapacityProviders?.length, 0);

    const updated = await t.lambda.send(
      new UpdateCapacityProviderCommand({
        CapacityProviderName: 'shared',
        CapacityProviderScalingConfig: { ScalingMode: 'Manual', ScalingPolicies: [{ PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: 70 }] },
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 202);
    assert.deepEqual(updated.CapacityProvider?.CapacityProviderScalingConfig, {
      MaxVCpuCount: 8,
      ScalingMode: 'Manual',
      ScalingPolicies: [{ PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: 70 }],
    });

    await t.lambda.send(new TagResourceCommand({ Resource: providerArn('shared'), Tags: { stage: 'prod' } }));
    assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: providerArn('shared') }))).Tags, { team: 'web', stage: 'prod' });

    const deleted = await t.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: 'other' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal(deleted.CapacityProvider?.State, 'Deleting');
    const gone = await errorOf(t.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: 'other' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.status, 404);
  });

  it('refuses what Lambda refuses, with its exception names', async () => {
    const taken = await errorOf(t.lambda.send(new CreateCapacityProviderCommand(declared('shared'))));
    assert.deepEqual([taken.name, taken.status], ['ResourceConflictException', 409]);
    const manual = await errorOf(t.lambda.send(new CreateCapacityProviderCommand(declared('manual', { CapacityProviderScalingConfig: { ScalingMode: 'Manual' } }))));
    assert.deepEqual([manual.name, manual.status], ['InvalidParameterValueException', 400]);
    const both = await errorOf(
      t.lambda.send(new CreateCapacityProviderCommand(declared('both', { InstanceRequirements: { AllowedInstanceTypes: ['m7i.large'], ExcludedInstanceTypes: ['c7i.large'] } }))),
    );
    assert.equal(both.name, 'InvalidParameterValueException');
    assert.equal((await errorOf(t.lambda.send(new UpdateCapacityProviderCommand({ CapacityProviderName: 'nope' })))).name, 'ResourceNotFoundException');
    assert.equal((await errorOf(t.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: 'nope' })))).name, 'ResourceNotFoundException');

    const bad = async (extra: Record<string, unknown>, provider = 'shared') =>
      (await errorOf(onProvider('refused', provider, extra))).name;
    assert.equal(await bad({}, 'nope'), 'InvalidParameterValueException', 'the provider must exist');
    assert.equal(await bad({ Runtime: 'nodejs20.x' }), 'InvalidParameterValueException', 'Node.js 22 or later only');
    assert.equal(await bad({ MemorySize: 1024 }), 'InvalidParameterValueException', 'at least 2 GiB');
    assert.equal(
      await bad({ CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: providerArn('shared'), ExecutionEnvironmentMemoryGiBPerVCpu: 4 } } }),
      'InvalidParameterValueException',
      '2 GiB at 4 GiB per vCPU is less than one vCPU',
    );
    assert.equal(await bad({ Architectures: ['arm64'] }), 'InvalidParameterValueException', "the provider's architecture is x86_64");

    await createFunction(t.lambda, 'plain', 'echo');
    const publishTo = await errorOf(t.lambda.send(new PublishVersionCommand({ FunctionName: 'plain', PublishTo: 'LATEST_PUBLISHED' })));
    assert.equal(publishTo.name, 'InvalidParameterValueException', 'only functions on a capacity provider have $LATEST.PUBLISHED');
    const scaling = await errorOf(t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'plain', Qualifier: '$LATEST.PUBLISHED', FunctionScalingConfig: {} })));
    assert.equal(scaling.name, 'InvalidParameterValueException');
  });

  it('runs a function on a provider only as a published version: $LATEST.PUBLISHED when unqualified', async () => {
    await onProvider('web', 'shared');
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'web' }));
    assert.equal(config.MemorySize, 2048, "Lambda Managed Instances' smallest environment by default");
    assert.equal(config.LoggingConfig?.LogFormat, 'JSON', 'concurrent invocations log in JSON, each record with its request id');
    assert.deepEqual(config.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig, {
      CapacityProviderArn: providerArn('shared'),
      PerExecutionEnvironmentMaxConcurrency: 64,
      ExecutionEnvironmentMemoryGiBPerVCpu: 2,
    });

    // The default concurrency follows the environment's vCPUs: 64 per vCPU for Node.js.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'web', MemorySize: 4096 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
    const bigger = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'web' }));
    assert.equal(bigger.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig?.PerExecutionEnvironmentMaxConcurrency, 128);
    await t.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'web',
        CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: providerArn('shared'), PerExecutionEnvironmentMaxConcurrency: 20 } },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'web', MemorySize: 2048 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
    const set = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'web' }));
    assert.equal(set.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig?.PerExecutionEnvironmentMaxConcurrency, 20, 'a concurrency set stays set');
    const tooSmall = await errorOf(t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'web', MemorySize: 1024 })));
    assert.equal(tooSmall.name, 'InvalidParameterValueException');

    const none = await errorOf(t.lambda.send(new InvokeCommand({ FunctionName: 'web' })));
    assert.deepEqual([none.name, none.status], ['NoPublishedVersionException', 400]);
    const noneByQualifier = await errorOf(t.lambda.send(new InvokeCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED' })));
    assert.equal(noneByQualifier.name, 'NoPublishedVersionException');

    const notYet = await errorOf(t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED' })));
    assert.deepEqual([notYet.name, notYet.status], ['ResourceNotFoundException', 404], 'only Invoke answers NoPublishedVersionException');
    const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'web', PublishTo: 'LATEST_PUBLISHED' }));
    assert.equal(published.Version, '$LATEST.PUBLISHED');
    assert.equal(published.FunctionArn, fnArn('web', '$LATEST.PUBLISHED'));

    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'web', Payload: Buffer.from('{"n":1}') }));
    assert.equal(res.FunctionError, undefined);
    assert.equal(res.ExecutedVersion, '$LATEST.PUBLISHED');
    const body = decode(res.Payload) as Echo;
    assert.equal(body.context.functionVersion, '$LATEST.PUBLISHED');
    const byQualifier = await t.lambda.send(new InvokeCommand({ FunctionName: `web:$LATEST.PUBLISHED` }));
    assert.equal((decode(byQualifier.Payload) as Echo).context.invokedFunctionArn, fnArn('web', '$LATEST.PUBLISHED'));
    const latest = await errorOf(t.lambda.send(new InvokeCommand({ FunctionName: 'web', Qualifier: '$LATEST' })));
    assert.equal(latest.name, 'InvalidParameterValueException', 'the unpublished $LATEST is not invocable');

    // Code changes reach invocations only when published again.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'web', Environment: { Variables: { MY_RELEASE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
    const before = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'web' }))).Payload) as Echo;
    assert.equal(before.env['MY_RELEASE'], undefined);
    const republished = await t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'web', ZipFile: await fixtureZip('echo'), PublishTo: 'LATEST_PUBLISHED' }));
    assert.equal(republished.Version, '$LATEST.PUBLISHED');
    const afterwards = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'web' }))).Payload) as Echo;
    assert.equal(afterwards.env['MY_RELEASE'], 'two');

    const v1 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'web' }));
    assert.equal(v1.Version, '1');
    assert.equal((await t.lambda.send(new InvokeCommand({ FunctionName: 'web', Qualifier: '1' }))).ExecutedVersion, '1');
    const live = await t.lambda.send(new CreateAliasCommand({ FunctionName: 'web', Name: 'live', FunctionVersion: '$LATEST.PUBLISHED' }));
    assert.equal(live.FunctionVersion, '$LATEST.PUBLISHED');
    assert.equal((await t.lambda.send(new InvokeCommand({ FunctionName: 'web', Qualifier: 'live' }))).ExecutedVersion, '$LATEST.PUBLISHED');
    const toLatest = await errorOf(t.lambda.send(new CreateAliasCommand({ FunctionName: 'web', Name: 'head', FunctionVersion: '$LATEST' })));
    assert.equal(toLatest.name, 'InvalidParameterValueException');
    const invokeConfig = await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED', MaximumRetryAttempts: 0 }));
    assert.equal(invokeConfig.FunctionArn, fnArn('web', '$LATEST.PUBLISHED'));
    const got = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED' }));
    assert.equal(got.Version, '$LATEST.PUBLISHED');
    assert.equal(got.Environment?.Variables?.['MY_RELEASE'], 'two');

    // Listed after $LATEST and before the numbered versions, one page or several.
    const listed = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'web' }));
    assert.deepEqual(listed.Versions?.map((v) => v.Version), ['$LATEST', '$LATEST.PUBLISHED', '1']);
    assert.equal(listed.Versions?.[1]?.FunctionArn, fnArn('web', '$LATEST.PUBLISHED'));
    const paged: string[] = [];
    let marker: string | undefined;
    do {
      const page = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'web', MaxItems: 1, ...(marker ? { Marker: marker } : {}) }));
      paged.push(...(page.Versions ?? []).map((v) => v.Version!));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(paged, ['$LATEST', '$LATEST.PUBLISHED', '1']);
  });

  it('keeps a scaling config per published version, with the server\'s defaults where none was put', async () => {
    const defaults = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED' }));
    assert.equal(defaults.FunctionArn, fnArn('web', '$LATEST.PUBLISHED'));
    // The test server keeps none (--managed-min-environments 0); Lambda's 3 is the default of a real one (managed-min-environments.test.ts).
    assert.deepEqual(defaults.AppliedFunctionScalingConfig, { MinExecutionEnvironments: 0 });
    assert.equal(defaults.RequestedFunctionScalingConfig, undefined);

    const put = await t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'web', Qualifier: '1', FunctionScalingConfig: { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 4 } }));
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.equal(put.FunctionState, 'Active');
    const got = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'web', Qualifier: '1' }));
    assert.deepEqual(got.RequestedFunctionScalingConfig, { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 4 });
    assert.deepEqual(got.AppliedFunctionScalingConfig, { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 4 });

    const inverted = await errorOf(t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'web', Qualifier: '1', FunctionScalingConfig: { MinExecutionEnvironments: 5, MaxExecutionEnvironments: 2 } })));
    assert.equal(inverted.name, 'InvalidParameterValueException');
    const missing = await errorOf(t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'web', Qualifier: '9' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('lists the published versions on a provider, page by page, and refuses to delete a provider in use', async () => {
    await onProvider('worker', 'shared');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'worker' }));
    const all = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: 'shared' }));
    assert.equal(all.CapacityProviderArn, providerArn('shared'));
    assert.deepEqual(
      all.FunctionVersions?.map((v) => [v.FunctionArn, v.State]),
      [
        [fnArn('web', '$LATEST.PUBLISHED'), 'Active'],
        [fnArn('web', '1'), 'Active'],
        [fnArn('worker', '1'), 'Active'],
      ],
    );
    const page = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: 'shared', MaxItems: 2 }));
    assert.equal(page.FunctionVersions?.length, 2);
    const rest = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: 'shared', Marker: page.NextMarker }));
    assert.deepEqual(rest.FunctionVersions?.map((v) => v.FunctionArn), [fnArn('worker', '1')]);

    // Deleting $LATEST.PUBLISHED leaves the numbered version; the function's $LATEST still names the provider.
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'worker', Qualifier: '1' }));
    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'web', Name: 'live' }));
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'web', Qualifier: '$LATEST.PUBLISHED' }));
    const left = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: 'shared' }));
    assert.deepEqual(left.FunctionVersions?.map((v) => v.FunctionArn), [fnArn('web', '1')]);
    assert.equal((await errorOf(t.lambda.send(new InvokeCommand({ FunctionName: 'web' })))).name, 'NoPublishedVersionException');
    const inUse = await errorOf(t.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: 'shared' })));
    assert.deepEqual([inUse.name, inUse.status], ['ResourceConflictException', 409]);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'web' }));
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'worker' }));
    assert.equal((await t.lambda.send(new DeleteCapacityProviderCommand({ CapacityProviderName: 'shared' }))).CapacityProvider?.State, 'Deleting');
  });

  it('serves boto3 and the aws CLI', async () => {
    const script = [
      'import boto3, json, sys',
      "c = boto3.client('lambda', endpoint_url=sys.argv[1])",
      "c.create_capacity_provider(CapacityProviderName='py', VpcConfig={'SubnetIds': ['subnet-1'], 'SecurityGroupIds': []}, PermissionsConfig={'CapacityProviderOperatorRoleArn': 'arn:aws:iam::000000000000:role/operator'})",
      "p = c.get_capacity_provider(CapacityProviderName='py')['CapacityProvider']",
      "print(json.dumps({'arn': p['CapacityProviderArn'], 'state': p['State'], 'names': [x['CapacityProviderArn'] for x in c.list_capacity_providers()['CapacityProviders']]}))",
    ].join('\n');
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), { arn: providerArn('py'), state: 'Active', names: [providerArn('py')] });
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'lambda', 'delete-capacity-provider', '--capacity-provider-name', 'py']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { CapacityProvider: { State: string } }).CapacityProvider.State, 'Deleting');
  });

  it('creates a provider and a function on it from a CloudFormation stack, published as $LATEST.PUBLISHED', async () => {
    const cfn = cfnClient(t);
    const template = {
      Resources: {
        Provider: {
          Type: 'AWS::Lambda::CapacityProvider',
          Properties: {
            VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: [] },
            PermissionsConfig: { CapacityProviderOperatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/operator` },
            CapacityProviderScalingConfig: { MaxVCpuCount: '4' },
            Tags: [{ Key: 'app', Value: 'stacked' }],
          },
        },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: ROLE,
            Code: { ZipFile: 'exports.handler = async (e, ctx) => ({ version: ctx.functionVersion, got: e });' },
            CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: { 'Fn::GetAtt': ['Provider', 'Arn'] }, PerExecutionEnvironmentMaxConcurrency: '10' } },
            FunctionScalingConfig: { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 2 },
          },
        },
      },
      Outputs: {
        Name: { Value: { Ref: 'Provider' } },
        Arn: { Value: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
        State: { Value: { 'Fn::GetAtt': ['Provider', 'State'] } },
        Function: { Value: { Ref: 'Fn' } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'managed', TemplateBody: JSON.stringify(template) }));
    const stack = await settledStack(cfn, 'managed', 120_000);
    const reasons = (await eventsOf(cfn, 'managed')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const out = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
    assert.match(out['Name']!, /^managed-Provider-/);
    assert.equal(out['Arn'], providerArn(out['Name']!));
    assert.equal(out['State'], 'Active');
    const provider = await t.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: out['Name']! }));
    assert.equal(provider.CapacityProvider?.CapacityProviderScalingConfig?.MaxVCpuCount, 4);
    assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: out['Arn']! }))).Tags, { app: 'stacked' });

    const res = await t.lambda.send(new InvokeCommand({ FunctionName: out['Function']!, Payload: Buffer.from('{"k":"v"}') }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    assert.deepEqual(decode(res.Payload), { version: '$LATEST.PUBLISHED', got: { k: 'v' } });
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: out['Function']!, Qualifier: '$LATEST.PUBLISHED' }));
    assert.equal(config.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig?.PerExecutionEnvironmentMaxConcurrency, 10);
    const scaling = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: out['Function']!, Qualifier: '$LATEST.PUBLISHED' }));
    assert.deepEqual(scaling.RequestedFunctionScalingConfig, { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 2 });
    const listed = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: out['Name']! }));
    assert.deepEqual(listed.FunctionVersions?.map((v) => v.FunctionArn), [fnArn(out['Function']!, '$LATEST.PUBLISHED')]);

    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId! }));
    const deleted = await settledStack(cfn, stack.StackId!, 120_000);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    assert.equal((await errorOf(t.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: out['Name']! })))).name, 'ResourceNotFoundException');
    cfn.destroy();
  });

  it('deploys a SAM template: AWS::Serverless::CapacityProvider and a function on it behind an alias', async () => {
    const cfn = cfnClient(t);
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Pool:',
      '    Type: AWS::Serverless::CapacityProvider',
      '    Properties:',
      '      CapacityProviderName: sam-pool',
      '      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [] }',
      '      ScalingConfig: { AverageCPUUtilization: 50 }',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      InlineCode: "exports.handler = async (e, ctx) => ctx.functionVersion;"',
      '      CapacityProviderConfig: { Arn: !GetAtt Pool.Arn }',
      '      FunctionScalingConfig: { MinExecutionEnvironments: 2 }',
      '      AutoPublishAlias: live',
    ].join('\n');
    await cfn.send(new CreateStackCommand({ StackName: 'sam-managed', TemplateBody: template, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-managed', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-managed')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const pool = (await t.lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: 'sam-pool' }))).CapacityProvider!;
    assert.deepEqual(pool.CapacityProviderScalingConfig, { ScalingMode: 'Manual', ScalingPolicies: [{ PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: 50 }] });
    assert.match(pool.PermissionsConfig?.CapacityProviderOperatorRoleArn ?? '', /^arn:aws:iam::\d{12}:role\//, 'the operator role SAM generates');
    const versions = (await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: 'sam-pool' }))).FunctionVersions ?? [];
    const fnName = versions[0]!.FunctionArn!.split(':')[6]!;
    assert.deepEqual(versions.map((v) => v.FunctionArn!.split(':')[7]), ['$LATEST.PUBLISHED', '1']);
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: fnName, Qualifier: 'live' }));
    assert.equal(decode(res.Payload), '1');
    const scaling = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: fnName, Qualifier: '1' }));
    assert.deepEqual(scaling.RequestedFunctionScalingConfig, { MinExecutionEnvironments: 2 });
    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId! }));
    assert.equal((await settledStack(cfn, stack.StackId!, 120_000)).StackStatus, 'DELETE_COMPLETE');
    cfn.destroy();
  });
});
