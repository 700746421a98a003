/**
 * The event pattern language, one operator at a time, with the examples of AWS's EventBridge
 * documentation ("Creating event patterns", "Content filtering", "Arrays in event patterns").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPattern, parsePattern, PatternError } from '../../src/event-sources/filter-pattern.js';
import { JsonNumber, parseJsonKeepingNumbers } from '../../src/event-sources/json-numbers.js';

const matches = (pattern: unknown, event: unknown) => matchesPattern(parsePattern(JSON.stringify(pattern)), event);

const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

describe('event patterns', () => {
  it('exact values: fields are ANDed, the values of a field ORed; absent fields do not matter', () => {
    assert.ok(matches({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, ec2));
    assert.ok(matches({ detail: { state: ['running', 'terminated'] } }, ec2));
    assert.ok(!matches({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2));
    assert.ok(!matches({ detail: { missing: ['x'] } }, ec2));
    // Numbers, null and empty strings match as themselves only.
    assert.ok(matches({ detail: { n: [5] } }, { detail: { n: 5 } }));
    assert.ok(!matches({ detail: { n: [5] } }, { detail: { n: '5' } }));
    assert.ok(matches({ detail: { v: [null] } }, { detail: { v: null } }));
    assert.ok(!matches({ detail: { v: [null] } }, { detail: {} }));
    assert.ok(matches({ detail: { v: [''] } }, { detail: { v: '' } }));
  });

  it('arrays: a pattern value matches if any element of an event array matches', () => {
    const event = { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] };
    assert.ok(matches({ resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, event));
    assert.ok(!matches({ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, event));
    // Objects inside arrays are matched element by element.
    assert.ok(matches({ detail: { items: { sku: ['A1'] } } }, { detail: { items: [{ sku: 'B2' }, { sku: 'A1' }] } }));
  });

  it('prefix, and prefix ignoring case', () => {
    assert.ok(matches({ time: [{ prefix: '2017-12-22' }] }, ec2));
    assert.ok(matches({ source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, { source: 'aws.autoscaling', region: 'eu-west-1' }));
    assert.ok(!matches({ region: [{ prefix: 'eu-' }] }, { region: 'us-east-1' }));
    assert.ok(matches({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { service: 'eventbridge' }));
    assert.ok(!matches({ n: [{ prefix: '1' }] }, { n: 12 }), 'prefix matches strings only');
  });

  it('suffix, and suffix ignoring case', () => {
    assert.ok(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }));
    assert.ok(!matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }));
    assert.ok(matches({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.PNG' }));
  });

  it('equals-ignore-case', () => {
    assert.ok(matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2));
    assert.ok(!matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, ec2));
  });

  it('anything-but: a value, a list of strings or numbers, a prefix, a suffix, equals-ignore-case, a wildcard', () => {
    assert.ok(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2));
    assert.ok(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 124 } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'stopped' } }));
    assert.ok(!matches({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 200 } }));
    assert.ok(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'running' } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { detail: { state: 'initializing' } }));
    assert.ok(!matches({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'notes.txt' } }));
    assert.ok(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'notes.md' } }));
    const ignoring = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    assert.ok(!matches(ignoring, { detail: { state: 'STOPPED' } }));
    assert.ok(matches(ignoring, { detail: { state: 'running' } }));
    const paths = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } };
    assert.ok(!matches(paths, { detail: { FilePath: '/usr/lib/x' } }));
    assert.ok(matches(paths, { detail: { FilePath: '/home/me/x' } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': 'x' }] } }, { detail: {} }), 'an absent field is not anything but x');
  });

  it('numeric ranges and equality', () => {
    const pattern = { detail: { c_count: [{ numeric: ['>', 0, '<=', 5] }], d_count: [{ numeric: ['<', 10] }], x_limit: [{ numeric: ['=', 3.018e2] }] } };
    assert.ok(matches(pattern, { detail: { c_count: 5, d_count: 7, x_limit: 301.8 } }));
    assert.ok(!matches(pattern, { detail: { c_count: 0, d_count: 7, x_limit: 301.8 } }));
    assert.ok(!matches(pattern, { detail: { c_count: 5, d_count: 10, x_limit: 301.8 } }));
    assert.ok(!matches({ n: [{ numeric: ['>', 0] }] }, { n: '5' }), 'numeric matches JSON numbers only');
  });

  it('exists: true for a present leaf, false for an absent field', () => {
    assert.ok(matches({ detail: { state: [{ exists: true }] } }, ec2));
    assert.ok(!matches({ detail: { state: [{ exists: false }] } }, ec2));
    assert.ok(matches({ detail: { 'c-count': [{ exists: false }] } }, ec2));
    assert.ok(!matches({ detail: { 'c-count': [{ exists: true }] } }, ec2));
  });

  it('cidr: IPv4 and IPv6 addresses in a block', () => {
    assert.ok(matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.0.255' } }));
    assert.ok(!matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.1.1' } }));
    assert.ok(matches({ detail: { ip: [{ cidr: '2001:db8::/32' }] } }, { detail: { ip: '2001:db8::1' } }));
    assert.ok(!matches({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { detail: { ip: 'not-an-ip' } }));
  });

  it('wildcard: * for any run, \\* for a star; ** is refused', () => {
    assert.ok(matches({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }));
    assert.ok(matches({ key: [{ wildcard: 'dir/*.png' }] }, { key: 'dir/sub/dir/a.png' }));
    assert.ok(!matches({ key: [{ wildcard: 'dir/*.png' }] }, { key: 'dir/a.jpg' }));
    assert.ok(matches({ key: [{ wildcard: 'a\\*b' }] }, { key: 'a*b' }));
    assert.ok(!matches({ key: [{ wildcard: 'a\\*b' }] }, { key: 'axb' }));
    assert.throws(() => parsePattern('{"key":[{"wildcard":"a**b"}]}'), PatternError);
  });

  it('$or: any of the alternatives, combined with the fields beside it', () => {
    const pattern = { source: ['aws.ec2'], $or: [{ 'detail-type': ['EC2 Instance State-change Notification'] }, { detail: { state: ['running'] } }] };
    assert.ok(matches(pattern, ec2));
    assert.ok(matches(pattern, { ...ec2, 'detail-type': 'other', detail: { state: 'running' } }));
    assert.ok(!matches(pattern, { ...ec2, 'detail-type': 'other' }));
    assert.ok(!matches(pattern, { ...ec2, source: 'aws.s3' }));
    const numeric = { detail: { $or: [{ c_count: [{ numeric: ['>', 0, '<=', 5] }] }, { d_count: [{ numeric: ['<', 10] }] }, { x_limit: [{ numeric: ['=', 301.8] }] }] } };
    assert.ok(matches(numeric, { detail: { d_count: 3 } }));
    assert.ok(!matches(numeric, { detail: { d_count: 30 } }));
  });

  it('refuses what EventBridge refuses', () => {
    for (const bad of ['not json', '[]', '{}', '{"a":"x"}', '{"a":[]}', '{"a":[{"prefix":1}]}', '{"a":[{"numeric":[">"]}]}', '{"a":[{"cidr":"10.0.0.0/33"}]}', '{"a":[{"nope":1}]}', '{"$or":[{"a":["x"]}]}']) {
      assert.throws(() => parsePattern(bad), PatternError, bad);
    }
  });
});

describe('JSON that keeps number text', () => {
  it('parses as JSON.parse does, numbers carrying their text', () => {
    const text = '{"a": [1, -2.50, 3e2, "x\\u0041", true, false, null], "b": {"c": {}}, "a2": [], "d": 1, "d": 2}';
    const v = parseJsonKeepingNumbers(text) as Record<string, unknown>;
    const nums = (v['a'] as unknown[]).slice(0, 3) as JsonNumber[];
    assert.deepEqual(nums.map((n) => [n.value, n.text]), [[1, '1'], [-2.5, '-2.50'], [300, '3e2']]);
    assert.deepEqual((v['a'] as unknown[]).slice(3), ['xA', true, false, null]);
    assert.deepEqual(v['b'], { c: {} });
    assert.deepEqual(v['a2'], []);
    assert.equal((v['d'] as JsonNumber).text, '2', 'the last of duplicate keys wins');
    const proto = parseJsonKeepingNumbers('{"__proto__": {"x": true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype, '__proto__ is an own key, as in JSON.parse');
    for (const bad of ['', '{', '[1,]', '{"a" 1}', '01', '1.', '"\u0001"', 'nul', '{} x', "{'a': 1}"]) {
      assert.throws(() => parseJsonKeepingNumbers(bad), SyntaxError, bad);
    }
  });

  it('exact numbers match by text, numeric ranges and anything-but by value', () => {
    const m = (pattern: string, event: string) => matchesPattern(parsePattern(pattern), parseJsonKeepingNumbers(event));
    assert.ok(m('{"n":[300]}', '{"n":300}'));
    assert.ok(!m('{"n":[300]}', '{"n":300.0}'));
    assert.ok(!m('{"n":[3.0e2]}', '{"n":300}'));
    assert.ok(m('{"n":[{"numeric":["=",3.0e2]}]}', '{"n":300.0}'));
    assert.ok(!m('{"n":[{"anything-but":[300]}]}', '{"n":3e2}'));
    assert.ok(m('{"n":[{"exists":true}]}', '{"n":1.5}'), 'a number is a leaf');
    assert.ok(matchesPattern(parsePattern('{"n":[300]}'), { n: 300 }), 'plain numbers compare by their JSON text');
  });
});
