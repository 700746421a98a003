/** EventBridge bus policies through the SDK: PutPermission's two forms, RemovePermission, DescribeEventBus's Policy. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventBusCommand, DescribeEventBusCommand, EventBridgeClient, PutPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-eventbridge';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('EventBridge bus policies', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  before(async () => {
    t = await startTestPlatform();
    eb = new EventBridgeClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    await t.stop();
  });

  const policyOf = async (Name?: string) => {
    const p = (await eb.send(new DescribeEventBusCommand({ Name }))).Policy;
    return p === undefined ? undefined : (JSON.parse(p) as { Statement: Record<string, unknown>[] });
  };

  it('grants accounts and organizations statement by statement, replaces a statement of the same id, removes them', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
    const arn = 'arn:aws:events:us-east-1:000000000000:event-bus/orders';
    assert.equal(await policyOf('orders'), undefined, 'no policy at first');
    await eb.send(new PutPermissionCommand({ EventBusName: 'orders', Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'partner' }));
    await eb.send(new PutPermissionCommand({ EventBusName: 'orders', Action: 'events:PutEvents', Principal: '*', StatementId: 'org', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' } }));
    assert.deepEqual((await policyOf('orders'))!.Statement, [
      { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: arn },
      { Sid: 'org', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: arn, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } } },
    ]);
    await eb.send(new PutPermissionCommand({ EventBusName: 'orders', Action: 'events:PutEvents', Principal: '444455556666', StatementId: 'partner' }));
    assert.deepEqual((await policyOf('orders'))!.Statement.map((s) => [s['Sid'], s['Principal']]), [['org', '*'], ['partner', { AWS: 'arn:aws:iam::444455556666:root' }]]);

    await eb.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'org' }));
    assert.deepEqual((await policyOf('orders'))!.Statement.map((s) => s['Sid']), ['partner']);
    await assert.rejects(eb.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'org' })), { name: 'ResourceNotFoundException' });
    await eb.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'partner' }));
    assert.equal(await policyOf('orders'), undefined, 'the last statement gone, no policy');
  });

  it('takes a whole policy, on the default bus when no bus is named; refuses what EventBridge refuses', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'all', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: '*' }] });
    await eb.send(new PutPermissionCommand({ Policy: policy }));
    assert.equal((await eb.send(new DescribeEventBusCommand({}))).Policy, policy);
    await eb.send(new RemovePermissionCommand({ RemoveAllPermissions: true }));
    assert.equal(await policyOf(), undefined);

    await assert.rejects(eb.send(new PutPermissionCommand({ Action: 'events:DeleteRule', Principal: '111122223333', StatementId: 's' })), { name: 'ValidationException' });
    await assert.rejects(eb.send(new PutPermissionCommand({ Action: 'events:PutEvents', Principal: 'someone', StatementId: 's' })), { name: 'ValidationException' });
    await assert.rejects(eb.send(new PutPermissionCommand({ Policy: '{"Statement": ' })), { name: 'ValidationException' });
    await assert.rejects(eb.send(new PutPermissionCommand({ Policy: JSON.stringify({ Statement: [{ Sid: 'x'.repeat(11_000) }] }) })), { name: 'PolicyLengthExceededException' });
    await assert.rejects(eb.send(new PutPermissionCommand({ EventBusName: 'nope', Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's' })), { name: 'ResourceNotFoundException' });
  });
});
