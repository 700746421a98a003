import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventEnvelope } from '../../src/services/events/model.js';
import { inputProblem, renderTargetInput } from '../../src/services/events/target-input.js';

const event: EventEnvelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', count: 3, tags: { env: 'prod' }, quote: 'say "hi"' },
};
const rule = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestedAt: Date.UTC(2015, 10, 11, 21, 29, 55) };
const transform = (pathsMap: Record<string, string>, template: string) => renderTargetInput({ kind: 'transformer', transformer: { pathsMap, template } }, event, rule);
const paths = { instance: '$.detail.instance-id', state: '$.detail.state' };

describe('target input', () => {
  it('the whole event, a constant, or the part at an InputPath', () => {
    assert.deepEqual(JSON.parse(renderTargetInput({ kind: 'event' }, event, rule)), event);
    assert.equal(renderTargetInput({ kind: 'constant', json: '{"fixed":true}' }, event, rule), '{"fixed":true}');
    assert.equal(renderTargetInput({ kind: 'path', path: '$.detail.tags' }, event, rule), '{"env":"prod"}');
    assert.equal(renderTargetInput({ kind: 'path', path: '$.resources[0]' }, event, rule), '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"');
  });

  it('a template that is a JSON string takes strings without quotes', () => {
    assert.equal(transform(paths, '"<instance> is in state <state>"'), '"i-0123456789 is in state RUNNING"');
  });

  it('a JSON template quotes strings outside string literals and keeps numbers and objects as JSON', () => {
    const out = transform({ ...paths, count: '$.detail.count', tags: '$.detail.tags' }, '{"instance": <instance>, "state": [9, <state>, true], "n": <count>, "tags": <tags>, "text": "<instance> is <state>"}');
    assert.deepEqual(JSON.parse(out), { instance: 'i-0123456789', state: [9, 'RUNNING', true], n: 3, tags: { env: 'prod' }, text: 'i-0123456789 is RUNNING' });
  });

  it('escapes quotes of a value placed inside a string, and keeps escaped quotes of the template', () => {
    const out = transform({ q: '$.detail.quote', state: '$.detail.state' }, '{"said": "<q>", "msg": "state \\"<state>\\""}');
    assert.deepEqual(JSON.parse(out), { said: 'say "hi"', msg: 'state "RUNNING"' });
  });

  it('a plain-text template takes strings as they are', () => {
    assert.equal(transform(paths, '<instance> is in state <state>'), 'i-0123456789 is in state RUNNING');
  });

  it('predefined variables: rule, ingestion time, the event without and with its detail', () => {
    const out = JSON.parse(transform({}, '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": "<aws.events.event.ingestion-time>", "e": <aws.events.event>, "full": <aws.events.event.json>}'));
    assert.equal(out.arn, rule.ruleArn);
    assert.equal(out.name, 'r');
    assert.equal(out.at, '2015-11-11T21:29:55.000Z');
    assert.equal(out.e.detail, undefined);
    assert.equal(out.e.id, event.id);
    assert.deepEqual(out.full, event);
  });

  it('a path the event lacks gives null in JSON and nothing in text; unknown placeholders stay', () => {
    assert.deepEqual(JSON.parse(transform({ m: '$.detail.missing' }, '{"m": <m>, "s": "<m>", "x": "<other>"}')), { m: null, s: '', x: '<other>' });
  });

  it('refuses what PutTargets refuses', () => {
    assert.match(inputProblem({ kind: 'constant', json: '{nope' })!, /not valid JSON/);
    assert.match(inputProblem({ kind: 'path', path: 'detail' })!, /not a valid JSON path/);
    assert.match(inputProblem({ kind: 'transformer', transformer: { pathsMap: { 'aws.events.x': '$.a' }, template: '<x>' } })!, /reserved/);
    assert.equal(inputProblem({ kind: 'transformer', transformer: paths && { pathsMap: paths, template: '<instance>' } }), undefined);
  });
});
