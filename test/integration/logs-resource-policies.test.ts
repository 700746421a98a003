import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteResourcePolicyCommand, DescribeResourcePoliciesCommand, PutResourcePolicyCommand, type ResourcePolicy } from '@aws-sdk/client-cloudwatch-logs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** The policy CDK adds when an EventBridge rule targets a log group. */
const eventsPolicy = (group: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`,
      },
    ],
  });

describe('CloudWatch Logs resource policies', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  const rejects = async (promise: Promise<unknown>, name: string, message?: RegExp) => {
    await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, name);
      assert.equal(err.$metadata?.httpStatusCode, 400);
      if (message) assert.match(err.message, message);
      return true;
    });
  };
  const all = async (limit?: number): Promise<ResourcePolicy[]> => {
    const out: ResourcePolicy[] = [];
    let nextToken: string | undefined;
    do {
      const page = await p.logs.send(new DescribeResourcePoliciesCommand({ nextToken, ...(limit ? { limit } : {}) }));
      if (limit) assert.ok(page.resourcePolicies!.length <= limit);
      out.push(...page.resourcePolicies!);
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  };

  it('puts, replaces, describes and deletes a policy', async () => {
    const put = await p.logs.send(new PutResourcePolicyCommand({ policyName: 'events-to-logs', policyDocument: eventsPolicy('/aws/events/orders') }));
    assert.equal(put.resourcePolicy?.policyName, 'events-to-logs');
    assert.equal(put.resourcePolicy?.policyDocument, eventsPolicy('/aws/events/orders'));
    assert.equal(put.resourcePolicy?.policyScope, 'ACCOUNT');
    assert.ok((put.resourcePolicy?.lastUpdatedTime ?? 0) > 0);
    assert.ok(put.revisionId);

    const replaced = await p.logs.send(new PutResourcePolicyCommand({ policyName: 'events-to-logs', policyDocument: eventsPolicy('/aws/events/all'), expectedRevisionId: put.revisionId }));
    assert.notEqual(replaced.revisionId, put.revisionId);
    await rejects(
      p.logs.send(new PutResourcePolicyCommand({ policyName: 'events-to-logs', policyDocument: eventsPolicy('/x'), expectedRevisionId: put.revisionId })),
      'OperationAbortedException',
    );
    const listed = await all();
    assert.deepEqual(
      listed.map((r) => [r.policyName, r.policyDocument, r.revisionId]),
      [['events-to-logs', eventsPolicy('/aws/events/all'), replaced.revisionId]],
    );

    await p.logs.send(new DeleteResourcePolicyCommand({ policyName: 'events-to-logs' }));
    assert.deepEqual(await all(), []);
    await rejects(p.logs.send(new DeleteResourcePolicyCommand({ policyName: 'events-to-logs' })), 'ResourceNotFoundException', /events-to-logs/);
  });

  it('refuses a document that is not JSON, and a resource-scoped policy', async () => {
    await rejects(p.logs.send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '{"Version": ' })), 'InvalidParameterException', /not valid JSON/);
    await rejects(p.logs.send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '[1]' })), 'InvalidParameterException');
    await rejects(
      p.logs.send(new PutResourcePolicyCommand({ policyName: 'bad', policyDocument: '{}', resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:x' })),
      'InvalidParameterException',
      /resourceArn/,
    );
    assert.deepEqual(await all(), []);
  });

  it('keeps at most 10 policies, pages through them, and lets one be replaced at the limit', async () => {
    for (let n = 0; n < 10; n++) await p.logs.send(new PutResourcePolicyCommand({ policyName: `policy-${n}`, policyDocument: eventsPolicy(`/g/${n}`) }));
    await rejects(p.logs.send(new PutResourcePolicyCommand({ policyName: 'policy-10', policyDocument: eventsPolicy('/g/10') })), 'LimitExceededException');
    await p.logs.send(new PutResourcePolicyCommand({ policyName: 'policy-3', policyDocument: eventsPolicy('/g/three') }));
    const paged = await all(3);
    assert.deepEqual(
      paged.map((r) => r.policyName),
      Array.from({ length: 10 }, (_, n) => `policy-${n}`),
    );
    assert.equal(paged[3]!.policyDocument, eventsPolicy('/g/three'));
    await p.logs.send(new DeleteResourcePolicyCommand({ policyName: 'policy-0' }));
    await p.logs.send(new PutResourcePolicyCommand({ policyName: 'policy-10', policyDocument: eventsPolicy('/g/10') }));
    assert.equal((await all()).length, 10);
  });
});
