import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ManualClock } from '../../src/lib/clock.js';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';

/** A custom resource whose function never answers: its stack waits until the wait times out or the server restarts. */
const SILENT = {
  Resources: {
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: 'exports.handler = async () => "no answer";' } } },
    Thing: { Type: 'Custom::Silent', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
  },
};

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const waitingOnCustom = (cfn: CloudFormationClient, stack: string) =>
  until('the custom resource to be under way', async () => ((await eventsOf(cfn, stack)).some((e) => e.LogicalResourceId === 'Thing' && e.ResourceStatus === 'CREATE_IN_PROGRESS') ? true : undefined));

describe('CloudFormation operations: the CLI, custom resource timeouts, a restart mid-operation', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  const clock = new ManualClock();
  before(async () => {
    t = await startTestPlatform({}, undefined, { cloudformationClock: clock });
    cfn = cfnClient(t);
  });
  after(async () => {
    cfn.destroy();
    await t.stop();
  });

  it('`selfless stacks` lists stacks with their status; `selfless stack NAME --events --follow` prints events until the stack settles', async () => {
    const body = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cli-q' } } }, Outputs: { Url: { Value: { Ref: 'Q' } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'clistack', TemplateBody: JSON.stringify(body) }));
    const follow = await run(process.execPath, [SELFLESS_BIN, 'stack', 'clistack', '--events', '--follow', '--interval', '100', '--endpoint', t.platform.url]);
    assert.equal(follow.code, 0, follow.stderr);
    const lines = follow.stdout.trim().split('\n');
    assert.match(lines[0]!, /CREATE_IN_PROGRESS\s+AWS::CloudFormation::Stack\s+clistack\s+User Initiated/);
    assert.match(lines.at(-1)!, /CREATE_COMPLETE\s+AWS::CloudFormation::Stack\s+clistack/);
    assert.ok(lines.some((l) => /CREATE_COMPLETE\s+AWS::SQS::Queue\s+Q/.test(l)));
    const list = await run(process.execPath, [SELFLESS_BIN, 'stacks', '--endpoint', t.platform.url]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /CREATE_COMPLETE\s+clistack/);
    const one = await run(process.execPath, [SELFLESS_BIN, 'stack', 'clistack', '--endpoint', t.platform.url]);
    assert.match(one.stdout, /output Url = http:\/\/.*\/cli-q/);
    assert.match(one.stdout, /CREATE_COMPLETE\s+AWS::SQS::Queue\s+Q/);
  });

  it('fails a custom resource that never answers once its wait (on the injected clock) runs out, and rolls back', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'silent', TemplateBody: JSON.stringify(SILENT) }));
    await waitingOnCustom(cfn, 'silent');
    const stack = await until('the stack to give up', async () => {
      clock.advance(3_600_000);
      const s = await settledStack(cfn, 'silent', 200).catch(() => undefined);
      return s;
    });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const failed = (await eventsOf(cfn, 'silent')).find((e) => e.LogicalResourceId === 'Thing' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /did not receive a response from your Custom Resource/);
  });

  it('a server restarted mid-operation takes the stack up again: rolled back with the reason, never left in progress', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'interrupted', TemplateBody: JSON.stringify(SILENT) }));
    await waitingOnCustom(cfn, 'interrupted');
    cfn.destroy();
    await t.stop(false);
    t = await startTestPlatform({}, t.dataDir, { cloudformationClock: clock });
    cfn = cfnClient(t);
    const stack = await settledStack(cfn, 'interrupted');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await eventsOf(cfn, 'interrupted');
    assert.match(events.find((e) => e.LogicalResourceId === 'interrupted' && e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason ?? '', /The server restarted while the operation was under way/);
    assert.ok(events.some((e) => e.LogicalResourceId === 'Handler' && e.ResourceStatus === 'DELETE_COMPLETE'), 'what it had made is deleted');
  });
});
