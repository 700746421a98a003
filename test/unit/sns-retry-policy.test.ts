import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpRetryPolicy, retryDelays } from '../../src/services/sns/deliveries/retry-policy.js';
import type { SubscriptionRecord, TopicRecord } from '../../src/services/sns/model.js';

const topic = (attributes: Record<string, string> = {}): TopicRecord => ({ arn: 'arn:aws:sns:us-east-1:000000000000:t', name: 't', attributes, tags: {}, createdAt: 0 });
const subscription = (attributes: Record<string, string> = {}): SubscriptionRecord => ({
  arn: 'arn:aws:sns:us-east-1:000000000000:t:s',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:t',
  protocol: 'http',
  endpoint: 'http://127.0.0.1/',
  owner: '000000000000',
  state: 'Confirmed',
  token: 'x',
  attributes,
  createdAt: 0,
});

describe('SNS HTTP delivery policy', () => {
  it("SNS's default: three retries, 20 seconds apart", () => {
    assert.deepEqual(retryDelays(httpRetryPolicy(topic(), subscription())), [20, 20, 20]);
  });

  it("phases in order: no delay, minimum, backing off linearly to the maximum, maximum; the subscription's policy over the topic's", () => {
    const healthyRetryPolicy = { numRetries: 8, numNoDelayRetries: 1, numMinDelayRetries: 1, numMaxDelayRetries: 2, minDelayTarget: 10, maxDelayTarget: 50, backoffFunction: 'linear' };
    const fromTopic = topic({ DeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: healthyRetryPolicy } }) });
    const delays = retryDelays(httpRetryPolicy(fromTopic, subscription()));
    assert.equal(delays.length, 8);
    assert.deepEqual(delays.slice(0, 2), [0, 10], 'no delay, then the minimum');
    assert.deepEqual(delays.slice(2, 6), [10, 23, 37, 50], 'four backoff retries from the minimum to the maximum');
    assert.deepEqual(delays.slice(6), [50, 50], 'then the maximum');
    const own = subscription({ DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 5, maxDelayTarget: 5 } }) });
    assert.deepEqual(retryDelays(httpRetryPolicy(fromTopic, own)), [5]);
  });
});
