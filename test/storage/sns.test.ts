import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingDelivery, SubscriptionRecord, TopicRecord } from '../../src/services/sns/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const ACCOUNT = 'arn:aws:sns:us-east-1:000000000000';
const topic = (name: string, attributes: Record<string, string> = {}): TopicRecord => ({
  arn: `${ACCOUNT}:${name}`,
  name,
  attributes,
  tags: {},
  createdAt: 1_000,
});
const subscription = (topicName: string, id: string, state: SubscriptionRecord['state'] = 'Confirmed'): SubscriptionRecord => ({
  arn: `${ACCOUNT}:${topicName}:${id}`,
  topicArn: `${ACCOUNT}:${topicName}`,
  protocol: 'sqs',
  endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
  owner: '000000000000',
  state,
  token: `token-${id}`,
  attributes: { RawMessageDelivery: 'true' },
  createdAt: 2_000,
});

describe(`SNS topics and subscriptions (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates a topic once, returning the stored one; updates, lists in pages and deletes', async () => {
    const { sns } = t().store;
    assert.deepEqual(await sns.createTopic(topic('b', { DisplayName: 'first' })), topic('b', { DisplayName: 'first' }));
    assert.deepEqual(await sns.createTopic(topic('b', { DisplayName: 'second' })), topic('b', { DisplayName: 'first' }), 'the first stays');
    await sns.createTopic(topic('a'));
    await sns.createTopic(topic('c'));
    assert.deepEqual((await sns.listTopics(undefined, 2)).map((x) => x.name), ['a', 'b']);
    assert.deepEqual((await sns.listTopics(`${ACCOUNT}:b`, 2)).map((x) => x.name), ['c']);
    assert.equal(await sns.updateTopic({ ...topic('a'), tags: { team: 'x' } }), true);
    assert.deepEqual((await sns.getTopic(`${ACCOUNT}:a`))?.tags, { team: 'x' });
    assert.equal(await sns.updateTopic(topic('zz')), false);
    assert.equal(await sns.getTopic(`${ACCOUNT}:zz`), undefined);
    assert.equal(await sns.deleteTopic(`${ACCOUNT}:a`), true);
    assert.equal(await sns.deleteTopic(`${ACCOUNT}:a`), false);
    assert.deepEqual((await sns.listTopics(undefined, 10)).map((x) => x.name), ['b', 'c']);
  });

  it('counts sequence numbers per topic', async () => {
    const { sns } = t().store;
    await sns.createTopic(topic('f.fifo'));
    await sns.createTopic(topic('g.fifo'));
    assert.deepEqual([await sns.nextSequence(`${ACCOUNT}:f.fifo`), await sns.nextSequence(`${ACCOUNT}:f.fifo`), await sns.nextSequence(`${ACCOUNT}:g.fifo`)], [1, 2, 1]);
    await assert.rejects(sns.nextSequence(`${ACCOUNT}:none`));
  });

  it("puts (replacing), gets, lists by topic and overall, deletes subscriptions; a topic's deletion takes its subscriptions", async () => {
    const { sns } = t().store;
    await sns.createTopic(topic('t1'));
    await sns.createTopic(topic('t2'));
    await sns.putSubscription(subscription('t1', 's2', 'PendingConfirmation'));
    await sns.putSubscription(subscription('t1', 's1'));
    await sns.putSubscription(subscription('t2', 's3'));
    await sns.putSubscription(subscription('t1', 's2'));
    assert.deepEqual(await sns.getSubscription(`${ACCOUNT}:t1:s2`), subscription('t1', 's2'));
    assert.deepEqual((await sns.subscriptionsOf(`${ACCOUNT}:t1`, undefined)).map((s) => s.arn), [`${ACCOUNT}:t1:s1`, `${ACCOUNT}:t1:s2`]);
    assert.deepEqual((await sns.subscriptionsOf(`${ACCOUNT}:t1`, `${ACCOUNT}:t1:s1`, 1)).map((s) => s.arn), [`${ACCOUNT}:t1:s2`]);
    assert.deepEqual((await sns.listSubscriptions(undefined, 2)).map((s) => s.arn), [`${ACCOUNT}:t1:s1`, `${ACCOUNT}:t1:s2`]);
    assert.deepEqual((await sns.listSubscriptions(`${ACCOUNT}:t1:s2`, 2)).map((s) => s.arn), [`${ACCOUNT}:t2:s3`]);
    assert.equal(await sns.deleteSubscription(`${ACCOUNT}:t1:s1`), true);
    assert.equal(await sns.deleteSubscription(`${ACCOUNT}:t1:s1`), false);
    await sns.deleteTopic(`${ACCOUNT}:t1`);
    assert.equal(await sns.getSubscription(`${ACCOUNT}:t1:s2`), undefined);
    assert.deepEqual((await sns.listSubscriptions(undefined, 10)).map((s) => s.arn), [`${ACCOUNT}:t2:s3`]);
  });

  it('keeps HTTP deliveries under way: put (replacing), list soonest first, delete', async () => {
    const { sns } = t().store;
    const delivery = (id: string, nextAttemptAt: number, attempts = 1): PendingDelivery => ({
      id,
      subscriptionArn: `${ACCOUNT}:t:${id}`,
      notification: {
        messageId: `m-${id}`,
        topicArn: `${ACCOUNT}:t`,
        message: 'hello',
        subject: 'S',
        attributes: { bin: { dataType: 'Binary', binaryValue: 'AQID' }, s: { dataType: 'String', stringValue: 'v' } },
        timestamp: 5,
      },
      attempts,
      nextAttemptAt,
    });
    await sns.putDelivery(delivery('b', 300));
    await sns.putDelivery(delivery('a', 200));
    await sns.putDelivery(delivery('b', 100, 2));
    assert.deepEqual(await sns.pendingDeliveries(), [delivery('b', 100, 2), delivery('a', 200)]);
    await sns.deleteDelivery('b');
    await sns.deleteDelivery('b');
    assert.deepEqual(await sns.pendingDeliveries(), [delivery('a', 200)]);
  });
});
