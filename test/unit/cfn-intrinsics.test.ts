import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../src/services/cloudformation/engine/evaluation.js';
import { computeOutputs } from '../../src/services/cloudformation/engine/outputs.js';
import type { EvalContext } from '../../src/services/cloudformation/template/context.js';
import { dependencyGraph } from '../../src/services/cloudformation/template/dependencies.js';
import { evaluateCondition, evaluateConditions, NO_VALUE, resolveValue } from '../../src/services/cloudformation/template/intrinsics.js';
import { parseTemplate } from '../../src/services/cloudformation/template/parse.js';

const PSEUDO = { accountId: '123456789012', region: 'eu-west-1', stackName: 'st', stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/st/1', partition: 'aws', urlSuffix: 'amazonaws.com', notificationArns: ['arn:sns'] };

function ctx(over: Partial<EvalContext> = {}): EvalContext {
  const resources = new Map([['Queue', { ref: 'https://q/url', attributes: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:q', 'Outputs.X': 'x' } }]]);
  return {
    pseudo: PSEUDO,
    parameters: { Env: 'prod', List: ['a', 'b', 'c'], Count: '2' },
    mappings: { Regions: { 'eu-west-1': { Ami: 'ami-1' } } },
    conditions: { IsProd: true, IsDev: false },
    resourceIds: new Set(['Queue', 'Later']),
    resource: (id) => resources.get(id),
    importValue: (name) => (name === 'shared' ? 'imported' : undefined),
    languageExtensions: true,
    ...over,
  };
}
const r = (v: unknown, c = ctx()) => resolveValue(v, c);
const bad = (v: unknown, re: RegExp, c = ctx()) => assert.throws(() => r(v, c), re);

describe('CloudFormation intrinsic functions', () => {
  it('Ref: parameters, pseudo parameters, resources, AWS::NoValue', () => {
    assert.equal(r({ Ref: 'Env' }), 'prod');
    assert.deepEqual(r({ Ref: 'List' }), ['a', 'b', 'c']);
    assert.deepEqual(
      ['AccountId', 'Region', 'StackName', 'StackId', 'Partition', 'URLSuffix'].map((p) => r({ Ref: `AWS::${p}` })),
      ['123456789012', 'eu-west-1', 'st', PSEUDO.stackId, 'aws', 'amazonaws.com'],
    );
    assert.deepEqual(r({ Ref: 'AWS::NotificationARNs' }), ['arn:sns']);
    assert.equal(r({ Ref: 'Queue' }), 'https://q/url');
    assert.equal(r({ Ref: 'AWS::NoValue' }), NO_VALUE);
    assert.deepEqual(r({ A: { Ref: 'AWS::NoValue' }, B: [1, { Ref: 'AWS::NoValue' }, 2] }), { B: [1, 2] }, 'NoValue removes the property and the item');
    bad({ Ref: 'Nope' }, /Unresolved resource dependencies \[Nope\]/);
    assert.throws(() => r({ Ref: 'Later' }), /does not exist yet/);
  });

  it('Fn::GetAtt: list and dotted forms, nested-stack style attributes, unknown attributes', () => {
    assert.equal(r({ 'Fn::GetAtt': ['Queue', 'Arn'] }), 'arn:aws:sqs:eu-west-1:123456789012:q');
    assert.equal(r({ 'Fn::GetAtt': 'Queue.Outputs.X' }), 'x');
    bad({ 'Fn::GetAtt': ['Queue', 'Nope'] }, /does not support attribute type Nope/);
    bad({ 'Fn::GetAtt': ['Ghost', 'Arn'] }, /Ghost referenced by Fn::GetAtt does not exist/);
  });

  it('Fn::Sub: the string form, the variable-map form, ${!Literal}, attributes, lists', () => {
    assert.equal(r({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Env}-${Queue.Arn}-${!Literal}' }), 'arn:aws:s3:::prod-arn:aws:sqs:eu-west-1:123456789012:q-${Literal}');
    assert.equal(r({ 'Fn::Sub': ['${Name}/${Env}', { Name: { Ref: 'AWS::Region' } }] }), 'eu-west-1/prod');
    assert.equal(r({ 'Fn::Sub': '${List}' }), 'a,b,c');
  });

  it('Fn::Join, Fn::Select, Fn::Split', () => {
    assert.equal(r({ 'Fn::Join': ['-', ['x', { Ref: 'Env' }, 3]] }), 'x-prod-3');
    assert.equal(r({ 'Fn::Join': [',', { Ref: 'List' }] }), 'a,b,c');
    assert.equal(r({ 'Fn::Select': ['1', { Ref: 'List' }] }), 'b');
    bad({ 'Fn::Select': [5, ['a']] }, /cannot select nonexistent value/);
    assert.deepEqual(r({ 'Fn::Split': ['|', 'a|b||c'] }), ['a', 'b', '', 'c']);
    assert.equal(r({ 'Fn::Select': [2, { 'Fn::Split': [',', 'x,y,z'] }] }), 'z');
  });

  it('Fn::If with conditions, and Fn::If returning AWS::NoValue', () => {
    assert.equal(r({ 'Fn::If': ['IsProd', 'big', 'small'] }), 'big');
    assert.equal(r({ 'Fn::If': ['IsDev', 'big', 'small'] }), 'small');
    assert.deepEqual(r({ P: { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] } }), {});
    bad({ 'Fn::If': ['Unknown', 1, 2] }, /Unresolved condition dependency Unknown/);
  });

  it('condition functions: Fn::Equals (string comparison), Fn::And, Fn::Or, Fn::Not, Condition', () => {
    const c = ctx();
    assert.equal(evaluateCondition({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, c), true);
    assert.equal(evaluateCondition({ 'Fn::Equals': [2, { Ref: 'Count' }] }, c), true, 'numbers compare as strings');
    assert.equal(evaluateCondition({ 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] }, c), true);
    assert.equal(evaluateCondition({ 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] }, c), false);
    assert.equal(evaluateCondition({ 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Not': [{ Condition: 'IsDev' }] }] }, c), true);
    assert.equal(evaluateCondition({ 'Fn::Not': [{ Condition: 'IsProd' }] }, c), false);
    assert.throws(() => evaluateCondition({ 'Fn::And': [true] }, c), /between 2 and 10/);
    const all = evaluateConditions(
      { A: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, B: { 'Fn::Not': [{ Condition: 'A' }] }, C: { 'Fn::Or': [{ Condition: 'B' }, { Condition: 'A' }] } },
      ctx(),
    );
    assert.deepEqual(all, { A: true, B: false, C: true });
    assert.throws(() => evaluateConditions({ X: { Condition: 'Y' }, Y: { Condition: 'X' } }, ctx()), /Circular condition dependency/);
  });

  it('Fn::FindInMap, with DefaultValue', () => {
    assert.equal(r({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] }), 'ami-1');
    assert.equal(r({ 'Fn::FindInMap': ['Regions', 'us-east-1', 'Ami', { DefaultValue: 'ami-default' }] }), 'ami-default');
    bad({ 'Fn::FindInMap': ['Regions', 'us-east-1', 'Ami'] }, /Unable to get mapping for Regions::us-east-1::Ami/);
  });

  it('Fn::GetAZs, Fn::Base64, Fn::Cidr, Fn::ImportValue', () => {
    assert.deepEqual(r({ 'Fn::GetAZs': '' }), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    assert.deepEqual(r({ 'Fn::GetAZs': 'us-east-1' }), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.equal(r({ 'Fn::Base64': { 'Fn::Sub': 'hi ${Env}' } }), Buffer.from('hi prod').toString('base64'));
    assert.deepEqual(r({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] }), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(r({ 'Fn::Cidr': ['192.168.0.0/24', 2, '6'] }), ['192.168.0.0/26', '192.168.0.64/26']);
    bad({ 'Fn::Cidr': ['10.0.0.0/30', 4, 8] }, /Fn::Cidr cannot make/);
    assert.equal(r({ 'Fn::ImportValue': 'shared' }), 'imported');
    bad({ 'Fn::ImportValue': 'missing' }, /No export named missing found/);
  });

  it('LanguageExtensions: Fn::Length and Fn::ToJsonString, refused without the transform', () => {
    assert.equal(r({ 'Fn::Length': { Ref: 'List' } }), 3);
    assert.equal(r({ 'Fn::ToJsonString': { a: { Ref: 'Env' }, b: [1] } }), '{"a":"prod","b":[1]}');
    bad({ 'Fn::Length': [1] }, /needs the AWS::LanguageExtensions transform/, ctx({ languageExtensions: false }));
  });

  it('LanguageExtensions: Fn::ForEach expands resources and outputs; Fn::FindInMap DefaultValue in a template', async () => {
    const body = JSON.stringify({
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Names: { Type: 'CommaDelimitedList', Default: 'alpha,beta' } },
      Resources: {
        'Fn::ForEach::Queues': ['Name', { Ref: 'Names' }, { 'Queue${Name}': { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Name}-q' }, Tag: { Ref: 'Name' } } } }],
      },
      Outputs: { 'Fn::ForEach::Out': ['Name', ['alpha'], { 'Out&{Name}': { Value: { 'Fn::Length': { Ref: 'Names' } } } }] },
    });
    const ev = await evaluate({ body, given: [], pseudo: PSEUDO, exports: new Map(), ssmValue: async () => '' });
    assert.deepEqual(Object.keys(ev.resources).sort(), ['Queuealpha', 'Queuebeta']);
    assert.deepEqual(ev.resources['Queuebeta']!.properties, { QueueName: { 'Fn::Sub': 'beta-q' }, Tag: 'beta' });
    assert.deepEqual(Object.keys(ev.outputs), ['Outalpha']);
    assert.deepEqual(Object.keys((JSON.parse(ev.processed!) as { Resources: object }).Resources).sort(), ['Queuealpha', 'Queuebeta'], 'the processed template is kept');
  });

  it('LanguageExtensions: DeletionPolicy and UpdateReplacePolicy may be intrinsics', async () => {
    const body = JSON.stringify({
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: { Q: { Type: 'AWS::SQS::Queue', DeletionPolicy: { 'Fn::If': ['IsProd', 'Retain', 'Delete'] }, UpdateReplacePolicy: { Ref: 'AWS::NoValue' } } },
    });
    const ev = await evaluate({ body, given: [], pseudo: PSEUDO, exports: new Map(), ssmValue: async () => '' });
    assert.equal(ev.resources['Q']!.deletionPolicy, 'Retain');
    assert.equal(ev.resources['Q']!.updateReplacePolicy, undefined, 'AWS::NoValue leaves the policy out');
  });

  it('outputs: an AWS::NoValue output is left out; others are text', async () => {
    const body = JSON.stringify({
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      Outputs: { Gone: { Value: { 'Fn::If': ['Never', 'x', { Ref: 'AWS::NoValue' }] } }, List: { Value: { 'Fn::GetAZs': '' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-azs' } } } },
    });
    const ev = await evaluate({ body, given: [], pseudo: PSEUDO, exports: new Map(), ssmValue: async () => '' });
    assert.equal(ev.processed, undefined, 'no transform, no processed template');
    assert.deepEqual(computeOutputs(ev, new Map()), [{ key: 'List', value: 'eu-west-1a,eu-west-1b,eu-west-1c', exportName: 'st-azs' }]);
  });

  it('parameters: defaults, types, constraints, NoEcho, SSM parameter types, UsePreviousValue', async () => {
    const body = (params: object) => JSON.stringify({ Parameters: params, Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
    const ev = (params: object, given: { key: string; value?: string; usePreviousValue?: boolean }[] = [], previous?: { key: string; value: string }[]) =>
      evaluate({ body: body(params), given, ...(previous ? { previous } : {}), pseudo: PSEUDO, exports: new Map(), ssmValue: async (n) => (n === '/app/size' ? '42' : Promise.reject(new Error('ParameterNotFound'))) });
    assert.deepEqual((await ev({ A: { Type: 'String', Default: 'd', NoEcho: true } })).parameters, [{ key: 'A', value: 'd', noEcho: true }]);
    await assert.rejects(ev({ A: { Type: 'String' } }), /Parameters: \[A\] must have values/);
    await assert.rejects(ev({}, [{ key: 'Z', value: '1' }]), /Parameters: \[Z\] do not exist in the template/);
    await assert.rejects(ev({ A: { Type: 'String', AllowedValues: ['x'] } }, [{ key: 'A', value: 'y' }]), /Parameter 'A' must be one of AllowedValues/);
    await assert.rejects(ev({ A: { Type: 'String', AllowedPattern: '[a-z]+' } }, [{ key: 'A', value: 'A1' }]), /must match pattern \[a-z\]\+/);
    await assert.rejects(ev({ A: { Type: 'String', MinLength: 3 } }, [{ key: 'A', value: 'ab' }]), /must contain at least 3 characters/);
    await assert.rejects(ev({ A: { Type: 'String', MaxLength: 1 } }, [{ key: 'A', value: 'ab' }]), /must contain at most 1 characters/);
    await assert.rejects(ev({ A: { Type: 'Number' } }, [{ key: 'A', value: 'x' }]), /Parameter 'A' must be a number/);
    await assert.rejects(ev({ A: { Type: 'Number', MinValue: 5 } }, [{ key: 'A', value: '4' }]), /not less than 5/);
    await assert.rejects(ev({ A: { Type: 'Number', MaxValue: 5 } }, [{ key: 'A', value: '6' }]), /not greater than 5/);
    await assert.rejects(ev({ A: { Type: 'String', AllowedValues: ['x'], ConstraintDescription: 'only x' } }, [{ key: 'A', value: 'y' }]), /failed to satisfy constraint: only x/);
    const ssm = await ev({ S: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/size' } });
    assert.deepEqual(ssm.parameters, [{ key: 'S', value: '/app/size', resolved: '42' }]);
    await assert.rejects(ev({ S: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/nope' } }), /cannot be resolved/);
    const prev = await ev({ A: { Type: 'String' } }, [{ key: 'A', usePreviousValue: true }], [{ key: 'A', value: 'old' }]);
    assert.equal(prev.parameters[0]!.value, 'old');
  });

  it('Rules refuse parameter values their assertions reject', async () => {
    const body = (env: string) =>
      JSON.stringify({
        Parameters: { Env: { Type: 'String', Default: env }, Size: { Type: 'String', Default: 'large' } },
        Rules: { ProdIsLarge: { RuleCondition: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, Assertions: [{ Assert: { 'Fn::Contains': [['small'], { Ref: 'Size' }] }, AssertDescription: 'prod must be small' }] } },
        Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      });
    const go = (env: string) => evaluate({ body: body(env), given: [], pseudo: PSEUDO, exports: new Map(), ssmValue: async () => '' });
    await assert.rejects(go('prod'), /prod must be small/);
    assert.ok(await go('dev'));
  });

  it('the dependency graph follows Ref, GetAtt, Sub and DependsOn, and names a cycle', () => {
    const g = dependencyGraph(
      {
        A: { Type: 'X', Properties: { P: { Ref: 'B' }, Q: { 'Fn::Sub': '${C.Arn} ${!D} ${AWS::Region}' } } },
        B: { Type: 'X', DependsOn: ['C'] },
        C: { Type: 'X', Properties: { P: { 'Fn::If': ['No', { Ref: 'D' }, 'x'] } } },
        D: { Type: 'X' },
      },
      { No: false },
    );
    assert.deepEqual([...g.get('A')!].sort(), ['B', 'C']);
    assert.deepEqual([...g.get('B')!], ['C']);
    assert.deepEqual([...g.get('C')!], [], 'Fn::If follows the branch its condition takes');
    assert.throws(() => dependencyGraph({ A: { Type: 'X', Properties: { P: { 'Fn::GetAtt': 'B.Arn' } } }, B: { Type: 'X', DependsOn: 'A' } }, {}), /Circular dependency between resources: \[A, B\]/);
  });

  it('parses a YAML template with every short-form tag', () => {
    const doc = parseTemplate(`
Resources:
  A:
    Type: X
    Properties:
      Ref: !Ref B
      Att: !GetAtt C.Arn
      AttList: !GetAtt [D, Outputs.E]
      Sub: !Sub 'x-\${AWS::Region}'
      SubList: !Sub ['\${a}', { a: !Ref Z }]
      Join: !Join ['', [!Ref B, '-']]
      Select: !Select [0, !GetAZs '']
      Split: !Split [',', 'a,b']
      If: !If [Cond, !Ref AWS::NoValue, 1]
      Eq: !Equals [a, b]
      And: !And [!Condition X, !Not [!Condition Y]]
      Or: !Or [!Condition X, !Condition Y]
      Map: !FindInMap [M, !Ref 'AWS::Region', k]
      B64: !Base64 hello
      Cidr: !Cidr [10.0.0.0/16, 4, 8]
      Imp: !ImportValue shared
      Tr: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
`);
    const p = (doc['Resources'] as Record<string, { Properties: Record<string, unknown> }>)['A']!.Properties;
    assert.deepEqual(p, {
      Ref: { Ref: 'B' },
      Att: { 'Fn::GetAtt': ['C', 'Arn'] },
      AttList: { 'Fn::GetAtt': ['D', 'Outputs.E'] },
      Sub: { 'Fn::Sub': 'x-${AWS::Region}' },
      SubList: { 'Fn::Sub': ['${a}', { a: { Ref: 'Z' } }] },
      Join: { 'Fn::Join': ['', [{ Ref: 'B' }, '-']] },
      Select: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      Split: { 'Fn::Split': [',', 'a,b'] },
      If: { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, 1] },
      Eq: { 'Fn::Equals': ['a', 'b'] },
      And: { 'Fn::And': [{ Condition: 'X' }, { 'Fn::Not': [{ Condition: 'Y' }] }] },
      Or: { 'Fn::Or': [{ Condition: 'X' }, { Condition: 'Y' }] },
      Map: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'k'] },
      B64: { 'Fn::Base64': 'hello' },
      Cidr: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      Imp: { 'Fn::ImportValue': 'shared' },
      Tr: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    });
    assert.throws(() => parseTemplate('Resources: [unclosed'), /Template format error: YAML not well-formed/);
    assert.throws(() => parseTemplate('{"Resources": '), /JSON not well-formed/);
  });
});
