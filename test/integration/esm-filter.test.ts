// The filter-pattern matcher and the batch-response reader are pure: tested here on their own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPattern, parsePattern, PatternError } from '../../src/event-sources/filter-pattern.js';
import { failedItems, passesFilters, parseSqsFilters, type SqsRecord } from '../../src/event-sources/sqs-event.js';

const match = (pattern: unknown, event: unknown) => matchesPattern(parsePattern(JSON.stringify(pattern)), event);

describe('filter patterns', () => {
  it('matches exact values, ANDs fields and ORs the values of a field', () => {
    assert.ok(match({ type: ['order'] }, { type: 'order' }));
    assert.ok(match({ type: ['order', 'refund'] }, { type: 'refund' }));
    assert.ok(!match({ type: ['order'] }, { type: 'Order' }));
    assert.ok(match({ a: { b: [1] }, c: [true] }, { a: { b: 1 }, c: true }));
    assert.ok(!match({ a: { b: [1] }, c: [true] }, { a: { b: 1 }, c: false }));
    assert.ok(!match({ n: ['5'] }, { n: 5 }), 'a string does not match a number');
    assert.ok(match({ n: [null] }, { n: null }));
    assert.ok(match({ s: [''] }, { s: '' }));
    assert.ok(match({ tags: ['x'] }, { tags: ['w', 'x'] }), 'any element of a list');
    assert.ok(!match({ missing: ['x'] }, {}));
  });

  it('prefix, suffix, equals-ignore-case and wildcard', () => {
    assert.ok(match({ s: [{ prefix: 'ab' }] }, { s: 'abc' }));
    assert.ok(!match({ s: [{ prefix: 'ab' }] }, { s: 'xabc' }));
    assert.ok(match({ s: [{ suffix: '.png' }] }, { s: 'a.png' }));
    assert.ok(match({ s: [{ prefix: { 'equals-ignore-case': 'AB' } }] }, { s: 'abc' }));
    assert.ok(match({ s: [{ 'equals-ignore-case': 'HeLLo' }] }, { s: 'hello' }));
    assert.ok(match({ s: [{ wildcard: 'img-*.png' }] }, { s: 'img-01.png' }));
    assert.ok(!match({ s: [{ wildcard: 'img-*.png' }] }, { s: 'img-01.jpg' }));
  });

  it('anything-but, numeric ranges, exists and cidr', () => {
    assert.ok(match({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'c' }));
    assert.ok(!match({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'a' }));
    assert.ok(!match({ s: [{ 'anything-but': 'a' }] }, {}), 'a missing field matches nothing but exists:false');
    assert.ok(match({ s: [{ 'anything-but': { prefix: 'tmp' } }] }, { s: 'data' }));
    assert.ok(!match({ s: [{ 'anything-but': { prefix: 'tmp' } }] }, { s: 'tmp1' }));
    assert.ok(match({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 5 }));
    assert.ok(!match({ n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 0 }));
    assert.ok(match({ n: [{ numeric: ['=', 3.5] }] }, { n: 3.5 }));
    assert.ok(!match({ n: [{ numeric: ['>', 0] }] }, { n: '7' }));
    assert.ok(match({ a: [{ exists: true }] }, { a: 'x' }));
    assert.ok(!match({ a: [{ exists: true }] }, {}));
    assert.ok(match({ a: [{ exists: false }] }, {}));
    assert.ok(!match({ a: [{ exists: false }] }, { a: 1 }));
    assert.ok(match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.7' }));
    assert.ok(!match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.7' }));
    assert.ok(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8::1' }));
  });

  it('$or across sets of fields', () => {
    const p = { $or: [{ a: [1] }, { b: [2] }] };
    assert.ok(match(p, { a: 1 }));
    assert.ok(match(p, { b: 2 }));
    assert.ok(!match(p, { a: 2, b: 1 }));
  });

  it('refuses malformed patterns', () => {
    for (const bad of ['not json', '[]', '{}', '{"a": "x"}', '{"a": []}', '{"a": [{"prefix": 1}]}', '{"a": [{"numeric": [">"]}]}', '{"a": [{"nope": 1}]}', '{"a": [{"cidr": "10.0.0.0/99"}]}']) {
      assert.throws(() => parsePattern(bad), PatternError, bad);
    }
  });
});

describe('SQS records against filters', () => {
  const record = (body: string): SqsRecord => ({
    messageId: 'id',
    receiptHandle: 'h',
    body,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  });

  it('parses a JSON body for patterns inside body, and matches the raw text otherwise', () => {
    const json = parseSqsFilters(['{"body": {"type": ["order"]}}']);
    assert.ok(passesFilters(json, record('{"type":"order"}')));
    assert.ok(!passesFilters(json, record('type order')), 'a plain body never matches a JSON pattern');
    const text = parseSqsFilters(['{"body": [{"prefix": "hello"}]}']);
    assert.ok(passesFilters(text, record('hello world')));
    assert.ok(passesFilters([], record('anything')), 'no filters: everything passes');
    assert.ok(passesFilters([...json, ...text], record('hello')), 'filters are ORed');
  });
});

describe('ReportBatchItemFailures responses', () => {
  const ids = new Set(['a', 'b']);
  const read = (v: string) => failedItems(Buffer.from(v), ids);

  it('reads the failed ids; empty and null mean success', () => {
    assert.deepEqual(read('{"batchItemFailures":[{"itemIdentifier":"b"}]}'), new Set(['b']));
    for (const ok of ['', 'null', '{}', '{"batchItemFailures":[]}', '{"batchItemFailures":null}']) assert.deepEqual(read(ok), new Set(), ok);
  });

  it('fails the whole batch on a malformed response', () => {
    for (const bad of ['not json', '{"batchItemFailures":[{"itemIdentifier":""}]}', '{"batchItemFailures":[{"itemIdentifier":null}]}', '{"batchItemFailures":[{"id":"a"}]}', '{"batchItemFailures":[{"itemIdentifier":"zzz"}]}', '{"batchItemFailures":"a"}']) {
      assert.equal(read(bad), 'all', bad);
    }
  });
});
