import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { ROLE, createFunction, decode, fixtureZip, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

type Echo = { env: Record<string, string>; context: { functionVersion: string; invokedFunctionArn: string } };

describe('versions and aliases', () => {
  let t: TestPlatform;
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:svc';
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'svc', 'echo', { Environment: { Variables: { MY_RELEASE: 'one' } } });
  });
  after(() => t.stop());

  const setRelease = async (release: string) => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: { MY_RELEASE: release } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'svc' });
  };
  const invoke = async (qualifier?: string) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'svc', ...(qualifier ? { Qualifier: qualifier } : {}) }));
    return { executed: res.ExecutedVersion, body: decode(res.Payload) as Echo };
  };
  const error = async (p: Promise<unknown>) => ((await p.then(() => undefined, (e: Error) => e)) as Error | undefined)?.name;

  it('publishes immutable versions and runs each by qualifier', async () => {
    const v1 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc', Description: 'first' }));
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${arn}:1`);
    assert.equal(v1.Description, 'first');
    await setRelease('two');
    const v2 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    assert.equal(v2.Version, '2');
    const again = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    assert.equal(again.Version, '2', 'publishing an unchanged $LATEST returns the newest version');

    const one = await invoke('1');
    assert.equal(one.executed, '1');
    assert.equal(one.body.env['MY_RELEASE'], 'one');
    assert.equal(one.body.env['AWS_LAMBDA_FUNCTION_VERSION'], '1');
    assert.equal(one.body.context.functionVersion, '1');
    assert.equal(one.body.context.invokedFunctionArn, `${arn}:1`);
    const two = await invoke('2');
    assert.equal(two.body.env['MY_RELEASE'], 'two');
    const latest = await invoke();
    assert.equal(latest.executed, '$LATEST');

    const listed = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'svc' }));
    assert.deepEqual(listed.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    const paged = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'svc', MaxItems: 2 }));
    assert.deepEqual(paged.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    const rest = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'svc', Marker: paged.NextMarker! }));
    assert.deepEqual(rest.Versions?.map((v) => v.Version), ['2']);

    const everything = await t.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    assert.deepEqual(everything.Functions?.map((f) => `${f.FunctionName}:${f.Version}`), ['svc:$LATEST', 'svc:1', 'svc:2']);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'svc', Qualifier: '1' }));
    assert.equal(config.Version, '1');
    assert.equal(config.Environment?.Variables?.['MY_RELEASE'], 'one');
  });

  // CloudFormation's in-process calls interleave these most tightly (serverless-deploy.test.ts caught the lost
  // version number there); over HTTP this checks that both kinds of change survive each other.
  it('keeps the version count and every permission when both change at once (as CloudFormation does)', async () => {
    await createFunction(t.lambda, 'racer', 'echo');
    const grants = Array.from({ length: 8 }, (_, n) =>
      t.lambda.send(new AddPermissionCommand({ FunctionName: 'racer', StatementId: `s${n}`, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' })),
    );
    const [published] = await Promise.all([t.lambda.send(new PublishVersionCommand({ FunctionName: 'racer' })), ...grants]);
    assert.equal(published.Version, '1');
    const policy = JSON.parse((await t.lambda.send(new GetPolicyCommand({ FunctionName: 'racer' }))).Policy!) as { Statement: { Sid: string }[] };
    assert.equal(policy.Statement.length, 8);
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'racer', Description: 'changed' }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'racer' });
    assert.equal((await t.lambda.send(new PublishVersionCommand({ FunctionName: 'racer' }))).Version, '2');
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'racer' }));
  });

  it('refuses a publish whose CodeSha256 or RevisionId is stale', async () => {
    assert.equal(await error(t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc', CodeSha256: 'AAAA' }))), 'InvalidParameterValueException');
    assert.equal(await error(t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc', RevisionId: 'stale' }))), 'PreconditionFailedException');
    assert.equal(await error(invoke('9')), 'ResourceNotFoundException');
  });

  it('routes an alias by its weights and tells which version ran', async () => {
    const created = await t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'live', FunctionVersion: '1' }));
    assert.equal(created.AliasArn, `${arn}:live`);
    const viaAlias = await invoke('live');
    assert.equal(viaAlias.executed, '1');
    assert.equal(viaAlias.body.context.invokedFunctionArn, `${arn}:live`);

    await t.lambda.send(new UpdateAliasCommand({ FunctionName: 'svc', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } }));
    const got = await t.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }));
    assert.deepEqual(got.RoutingConfig?.AdditionalVersionWeights, { '2': 0.3 });
    let onTwo = 0;
    for (let i = 0; i < 300; i++) {
      const r = await invoke('live');
      if (r.executed === '2') {
        onTwo++;
        assert.equal(r.body.env['MY_RELEASE'], 'two');
      } else assert.equal(r.executed, '1');
    }
    assert.ok(onTwo >= 60 && onTwo <= 120, `${onTwo} of 300 invocations ran version 2 at weight 0.3`);
  });

  it('answers alias errors as Lambda does', async () => {
    assert.equal(await error(t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'live', FunctionVersion: '1' }))), 'ResourceConflictException');
    assert.equal(await error(t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'nope', FunctionVersion: '7' }))), 'ResourceNotFoundException');
    assert.equal(await error(t.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'missing' }))), 'ResourceNotFoundException');
    assert.equal(
      await error(t.lambda.send(new UpdateAliasCommand({ FunctionName: 'svc', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }))),
      'InvalidParameterValueException',
    );
    assert.equal(await error(t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: '123', FunctionVersion: '1' }))), 'ValidationException');
    assert.equal(await error(t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'svc', Qualifier: '2' }))), 'ResourceConflictException');
    const list = await t.lambda.send(new ListAliasesCommand({ FunctionName: 'svc' }));
    assert.deepEqual(list.Aliases?.map((a) => a.Name), ['live']);
  });

  it('deletes versions and aliases', async () => {
    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'svc', Name: 'live' }));
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'svc', Qualifier: '1' }));
    assert.equal(await error(invoke('1')), 'ResourceNotFoundException');
    assert.equal((await invoke('2')).executed, '2');
    const v3 = await (async () => {
      await setRelease('three');
      return t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    })();
    assert.equal(v3.Version, '3', 'version numbers are never reused');
  });

  it('publishes a version on CreateFunction and UpdateFunctionCode with Publish', async () => {
    const created = await t.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'published', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await fixtureZip('echo') }, Publish: true }),
    );
    assert.equal(created.Version, '1');
    assert.equal(created.State, 'Active');
    const updated = await t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'published', ZipFile: await fixtureZip('actions'), Publish: true }));
    assert.equal(updated.Version, '2');
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'published', Qualifier: '1', Payload: Buffer.from('{"x":1}') }));
    assert.deepEqual((decode(res.Payload) as { event: unknown }).event, { x: 1 }, 'version 1 runs the first code');
  });
});
