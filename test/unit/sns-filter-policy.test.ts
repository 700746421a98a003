/** SNS filter policies, against the examples of AWS's SNS filter-policy documentation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SnsMessageAttributes } from '../../src/services/sns/model.js';
import { FilterPolicyError, matches, parseFilterPolicy } from '../../src/services/sns/filter-policy.js';

const attrs = (spec: Record<string, [string, string]>): SnsMessageAttributes =>
  Object.fromEntries(Object.entries(spec).map(([k, [dataType, stringValue]]) => [k, { dataType, stringValue }]));

const onAttributes = (policy: unknown, spec: Record<string, [string, string]>) =>
  matches(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), { attributes: attrs(spec), body: '' });
const onBody = (policy: unknown, body: unknown) =>
  matches(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), { attributes: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });

// The documentation's example policy, for attributes and for the body.
const POLICY = {
  store: ['example_corp'],
  event: [{ 'anything-but': 'order_cancelled' }],
  customer_interests: ['rugby', 'football', 'baseball'],
  price_usd: [{ numeric: ['>=', 100] }],
};

describe('SNS filter policies', () => {
  it("the documentation's example: all keys must match, any value of a key", () => {
    const message = {
      store: ['String', 'example_corp'],
      event: ['String', 'order_placed'],
      customer_interests: ['String.Array', '["soccer", "rugby", "hockey"]'],
      price_usd: ['Number', '210.75'],
    } satisfies Record<string, [string, string]>;
    assert.equal(onAttributes(POLICY, message), true);
    assert.equal(onAttributes(POLICY, { ...message, event: ['String', 'order_cancelled'] }), false);
    assert.equal(onAttributes(POLICY, { ...message, price_usd: ['Number', '99.9'] }), false);
    assert.equal(onAttributes(POLICY, { ...message, customer_interests: ['String.Array', '["soccer"]'] }), false);
    const { store: _s, ...withoutStore } = message;
    assert.equal(onAttributes(POLICY, withoutStore), false, 'a key the policy names must be present');
    assert.equal(onBody(POLICY, { store: 'example_corp', event: 'order_placed', customer_interests: ['soccer', 'rugby'], price_usd: 210.75 }), true);
    assert.equal(onBody(POLICY, { store: 'example_corp', event: 'order_placed', customer_interests: ['soccer'], price_usd: 210.75 }), false);
  });

  it('exact numeric matching: 301.5 and 3.015e2 alike', () => {
    const p = { price_usd: [{ numeric: ['=', 301.5] }] };
    assert.equal(onAttributes(p, { price_usd: ['Number', '301.5'] }), true);
    assert.equal(onAttributes(p, { price_usd: ['Number', '3.015e2'] }), true);
    assert.equal(onBody(p, '{ "price_usd": 3.015e2 }'), true);
    assert.equal(onAttributes(p, { price_usd: ['String', '301.5'] }), false, 'a String attribute is not a number');
  });

  it('anything-but: numbers, a list, arrays with one value outside, prefix', () => {
    const p = { price: [{ 'anything-but': [100, 500] }] };
    assert.equal(onAttributes(p, { price: ['Number', '101'] }), true);
    assert.equal(onAttributes(p, { price: ['Number', '100.1'] }), true);
    assert.equal(onAttributes(p, { price: ['Number.Array', '[100, 50]'] }), true);
    assert.equal(onBody(p, { price: [100, 50] }), true);
    assert.equal(onAttributes(p, { price: ['Number', '100'] }), false);
    assert.equal(onBody(p, { price: 100 }), false);
    assert.equal(onAttributes(p, {}), false, 'a missing attribute does not match anything-but');
    const prefix = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    assert.equal(onAttributes(prefix, { event: ['String', 'data-entry'] }), true);
    assert.equal(onAttributes(prefix, { event: ['String', 'order-cancelled'] }), false);
    const strings = { size: [{ 'anything-but': ['small', 'medium'] }] };
    assert.equal(onAttributes(strings, { size: ['String', 'large'] }), true);
    assert.equal(onAttributes(strings, { size: ['String', 'small'] }), false);
  });

  it('numeric ranges', () => {
    const negative = { price_usd: [{ numeric: ['<', 0] }] };
    assert.equal(onAttributes(negative, { price_usd: ['Number', '-1'] }), true);
    assert.equal(onAttributes(negative, { price_usd: ['Number', '0'] }), false);
    const range = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    assert.equal(onAttributes(range, { price_usd: ['Number', '150'] }), true);
    assert.equal(onAttributes(range, { price_usd: ['Number', '0'] }), false);
    assert.equal(onBody(range, { price_usd: 75 }), true);
    assert.equal(onBody(range, { price_usd: 150.5 }), false);
  });

  it('prefix, suffix, equals-ignore-case, exact strings', () => {
    assert.equal(onAttributes({ customer_interests: [{ prefix: 'bas' }] }, { customer_interests: ['String', 'baseball'] }), true);
    assert.equal(onAttributes({ customer_interests: [{ prefix: 'bas' }] }, { customer_interests: ['String', 'rugby'] }), false);
    assert.equal(onAttributes({ customer_interests: [{ suffix: 'ball' }] }, { customer_interests: ['String.Array', '["rugby", "baseball"]'] }), true);
    assert.equal(onBody({ customer_interests: [{ suffix: 'ball' }] }, { customer_interests: 'rugby' }), false);
    assert.equal(onAttributes({ customer_interests: [{ 'equals-ignore-case': 'tennis' }] }, { customer_interests: ['String', 'TENNIS'] }), true);
    assert.equal(onBody({ customer_interests: [{ 'equals-ignore-case': 'tennis' }] }, { customer_interests: 'Tennis ' }), false);
    assert.equal(onAttributes({ store: ['example_corp'] }, { store: ['String', 'example_corp_2'] }), false);
  });

  it('exists: true needs the key, false its absence', () => {
    assert.equal(onAttributes({ store: [{ exists: true }] }, { store: ['String', 'x'] }), true);
    assert.equal(onAttributes({ store: [{ exists: true }] }, { other: ['String', 'x'] }), false);
    assert.equal(onAttributes({ store: [{ exists: false }] }, { other: ['String', 'x'] }), true);
    assert.equal(onBody({ store: [{ exists: false }] }, { store: 'x' }), false);
    assert.equal(onAttributes({ data: [{ exists: true }] }, { data: ['Binary', ''] }), true, 'a Binary attribute is present');
  });

  it('cidr: IPv4 and IPv6 source addresses', () => {
    const p = { source_ip: [{ cidr: '10.0.0.0/24' }] };
    assert.equal(onAttributes(p, { source_ip: ['String', '10.0.0.255'] }), true);
    assert.equal(onAttributes(p, { source_ip: ['String', '10.0.1.0'] }), false);
    assert.equal(onBody({ source_ip: [{ cidr: '2001:db8::/32' }] }, { source_ip: '2001:db8:1::1' }), true);
    assert.equal(onBody({ source_ip: [{ cidr: '2001:db8::/32' }] }, { source_ip: 'not an ip' }), false);
  });

  it('$or: either sub-policy, ANDed with the other keys', () => {
    const p = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
    assert.equal(onAttributes(p, { source: ['String', 'aws.cloudwatch'], namespace: ['String', 'AWS/EC2'] }), true);
    assert.equal(onAttributes(p, { source: ['String', 'aws.cloudwatch'], metricName: ['String', 'CPUUtilization'] }), true);
    assert.equal(onAttributes(p, { source: ['String', 'aws.cloudwatch'], metricName: ['String', 'Disk'] }), false);
    assert.equal(onAttributes(p, { source: ['String', 'other'], namespace: ['String', 'AWS/EC2'] }), false);
  });

  it('nested keys in the body, through objects and arrays of objects', () => {
    const p = { store: ['example_corp'], customer: { interests: ['rugby'], address: { country: [{ prefix: 'N' }] } } };
    assert.equal(onBody(p, { store: 'example_corp', customer: { interests: ['rugby', 'soccer'], address: { country: 'Norway' } } }), true);
    assert.equal(onBody(p, { store: 'example_corp', customer: { interests: ['soccer'], address: { country: 'Norway' } } }), false);
    assert.equal(onBody(p, { store: 'example_corp', customer: [{ interests: 'rugby', address: { country: 'Nepal' } }] }), true);
    assert.equal(onBody(p, 'not json'), false, 'a body that is not JSON matches no body policy');
  });

  it('refuses malformed policies', () => {
    const refused = (policy: string, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') =>
      assert.throws(() => parseFilterPolicy(policy, scope), FilterPolicyError, policy);
    refused('{not json');
    refused('[]');
    refused('{"a": []}');
    refused('{"a": [{"wat": 1}]}');
    refused('{"a": [{"numeric": ["<", "x"]}]}');
    refused('{"a": [{"numeric": ["<", 5, ">", 1]}]}');
    refused('{"a": [{"exists": "yes"}]}');
    refused('{"a": [{"cidr": "10.0.0.0"}]}');
    refused('{"a": {"b": ["c"]}}', 'MessageAttributes');
    refused(JSON.stringify({ a: Array.from({ length: 13 }, (_, i) => i), b: Array.from({ length: 13 }, (_, i) => i) }));
    assert.doesNotThrow(() => parseFilterPolicy('{"a": {"b": ["c"]}}', 'MessageBody'));
  });
});
