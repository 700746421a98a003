/**
 * The SAM transform against AWS's own translator: every template under test/fixtures/sam/ goes
 * through both, and the outputs must be equal after normalising only what is random on AWS's side
 * (the order of lists samtranslator builds from Python sets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expandServerless, loadCfnYaml, SamTransformError, type SamContext } from '../../src/services/cloudformation/sam/index.js';
import { runSamOracle, type OracleResult } from '../helpers/sam-oracle.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/sam/', import.meta.url));

const ctx = (parameterValues: Record<string, string>): SamContext => ({
  region: 'us-east-1',
  accountId: '123456789012',
  partition: 'aws',
  stackName: 'sam-test',
  parameterValues,
});

interface Fixture {
  name: string;
  template: Record<string, unknown>;
  parameters: Record<string, string>;
}

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.params.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(FIXTURES + file, 'utf8');
      const template = (file.endsWith('.json') ? JSON.parse(text) : loadCfnYaml(text)) as Record<string, unknown>;
      const base = file.replace(/\.(ya?ml|json)$/, '');
      const paramsFile = `${FIXTURES}${base}.params.json`;
      const parameters = existsSync(paramsFile) ? (JSON.parse(readFileSync(paramsFile, 'utf8')) as Record<string, string>) : {};
      return { name: base, template, parameters };
    });
}

/** Lists samtranslator fills from a Python set come out in random order: compare them sorted. */
function normalise(template: unknown): unknown {
  const t = structuredClone(template) as { Resources?: Record<string, { DependsOn?: unknown }> };
  for (const r of Object.values(t.Resources ?? {})) {
    if (Array.isArray(r.DependsOn)) r.DependsOn = [...r.DependsOn].sort();
  }
  return t;
}

const fixtures = loadFixtures();
const oracle: OracleResult[] = runSamOracle(
  fixtures.map((f) => ({ template: f.template, parameterValues: f.parameters, region: 'us-east-1' })),
);

test('the fixture corpus is there and the oracle answered for each template', () => {
  assert.ok(fixtures.length >= 10, `only ${fixtures.length} fixtures found in ${FIXTURES}`);
  assert.equal(oracle.length, fixtures.length);
});

fixtures.forEach((fixture, i) => {
  test(`SAM transform matches samtranslator: ${fixture.name}`, () => {
    const expected = oracle[i]!;
    if ('error' in expected) {
      assert.throws(
        () => expandServerless(fixture.template, ctx(fixture.parameters)),
        (e: unknown) => {
          assert.ok(e instanceof SamTransformError, `expected a SamTransformError, got ${String(e)}`);
          assert.equal(e.message, expected.error);
          return true;
        },
      );
      return;
    }
    const actual = expandServerless(fixture.template, ctx(fixture.parameters));
    assert.deepStrictEqual(normalise(actual), normalise(expected.template));
  });
});

test('CloudFormation YAML short tags become the long forms', () => {
  const parsed = loadCfnYaml(
    [
      'A: !Ref X',
      'B: !GetAtt Fn.Arn',
      'C: !Sub "arn:${AWS::Partition}:s3:::${B}"',
      'D: !If [Cond, !Ref Y, !Ref "AWS::NoValue"]',
      'E: !Join ["", [a, !GetAtt [R, Attr.Deep]]]',
      'F: !GetAtt Api.RootResourceId.Extra',
      'G: !Condition IsProd',
    ].join('\n'),
  );
  assert.deepStrictEqual(parsed, {
    A: { Ref: 'X' },
    B: { 'Fn::GetAtt': ['Fn', 'Arn'] },
    C: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}' },
    D: { 'Fn::If': ['Cond', { Ref: 'Y' }, { Ref: 'AWS::NoValue' }] },
    E: { 'Fn::Join': ['', ['a', { 'Fn::GetAtt': ['R', 'Attr.Deep'] }]] },
    F: { 'Fn::GetAtt': ['Api', 'RootResourceId.Extra'] },
    G: { Condition: 'IsProd' },
  });
});

test('the input template is left untouched', () => {
  const fixture = fixtures.find((f) => f.name === 'function-events-push')!;
  const before = structuredClone(fixture.template);
  expandServerless(fixture.template, ctx(fixture.parameters));
  assert.deepStrictEqual(fixture.template, before);
});

test('what samtranslator accepts but this transform does not support is refused, never dropped', () => {
  const fn = { CodeUri: 's3://b/k.zip', Handler: 'index.handler', Runtime: 'nodejs20.x' };
  const cases: Array<[string, Record<string, unknown>]> = [
    ['AWS::Serverless::StateMachine', { Machine: { Type: 'AWS::Serverless::StateMachine', Properties: { Definition: {} } } }],
    ['MSK event', { Fn: { Type: 'AWS::Serverless::Function', Properties: { ...fn, Events: { K: { Type: 'MSK', Properties: { Stream: 'arn', StartingPosition: 'LATEST', Topics: ['t'] } } } } } }],
    ['Connectors', { Fn: { Type: 'AWS::Serverless::Function', Properties: fn, Connectors: { C: { Properties: { Destination: { Id: 'Q' }, Permissions: ['Write'] } } } }, Q: { Type: 'AWS::SQS::Queue' } }],
    ['Api Domain.Route53', { Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'p', Domain: { DomainName: 'x.example.com', CertificateArn: 'arn', Route53: { HostedZoneId: 'Z1' } } } } }],
    ['Api PRIVATE Domain', { Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'p', Domain: { DomainName: 'x.example.com', CertificateArn: 'arn', EndpointConfiguration: 'PRIVATE' } } } }],
    ['HttpApi Domain.MutualTlsAuthentication', { Api: { Type: 'AWS::Serverless::HttpApi', Properties: { Domain: { DomainName: 'x.example.com', CertificateArn: 'arn', MutualTlsAuthentication: { TruststoreUri: 's3://b/k' } } } } }],
  ];
  for (const [what, resources] of cases) {
    assert.throws(
      () => expandServerless({ Transform: 'AWS::Serverless-2016-10-31', Resources: resources }, ctx({})),
      (e: unknown) => e instanceof SamTransformError && /does not support/.test(e.message) && e.message.startsWith('Invalid Serverless Application Specification document.'),
      what,
    );
  }
});

test('in another partition (aws-cn) ARNs, managed policies and X-Ray follow the partition, as in samtranslator', () => {
  // samtranslator takes the partition from the region once per process: this template gets a run of its own.
  const fixture = fixtures.find((f) => f.name === 'function-policies')!;
  const template = structuredClone(fixture.template);
  const fn = (template['Resources'] as Record<string, { Properties: Record<string, unknown> }>)['Fn']!;
  fn.Properties['Tracing'] = 'Active';
  fn.Properties['Events'] = { Get: { Type: 'Api', Properties: { Path: '/x', Method: 'get' } } };
  const [expected] = runSamOracle([{ template, parameterValues: {}, region: 'cn-north-1' }]);
  assert.ok(expected && 'template' in expected, JSON.stringify(expected));
  const actual = expandServerless(template, { ...ctx({}), region: 'cn-north-1', partition: 'aws-cn' });
  assert.deepStrictEqual(normalise(actual), normalise(expected.template));
  assert.match(JSON.stringify(actual), /arn:aws-cn:iam::aws:policy\/AWSXRayDaemonWriteAccess/);
});
