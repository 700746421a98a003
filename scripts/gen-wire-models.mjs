#!/usr/bin/env node
// Regenerates src/wire/models/*.json from the AWS service models that ship with botocore
// (the `aws` CLI and boto3 carry them). Documentation and examples are stripped; the
// operations, HTTP bindings, shapes and constraints are kept as AWS wrote them.
//
// SQS is also served over the query protocol, which older clients still speak. botocore's SQS model
// is JSON-only and has lost the query wire names (`MessageAttribute.1.Name`, `<Message>`...), so they
// are read from the last query-protocol SQS model AWS shipped, in aws-sdk 2.1490.0 (the devDependency
// is pinned there: 2.1491.0 moved SQS to JSON), and written beside it as `sqs.query.json`: only the
// traits, keyed by botocore's shape names, which src/wire/model.ts lays over sqs.json.
// Usage: node scripts/gen-wire-models.mjs [path-to-botocore]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const SERVICES = [
  { name: 'lambda', path: 'lambda/2015-03-31' },
  { name: 'logs', path: 'logs/2014-03-28' },
  { name: 'sqs', path: 'sqs/2012-11-05', queryTraitsFrom: 'aws-sdk/apis/sqs-2012-11-05.min.json' },
  { name: 'sts', path: 'sts/2011-06-15' },
  // S3 (rest-xml)
  { name: 's3', path: 's3/2006-03-01' },
  // Secrets: Secrets Manager, SSM Parameter Store and KMS (json 1.1).
  { name: 'secretsmanager', path: 'secretsmanager/2017-10-17' },
  { name: 'ssm', path: 'ssm/2014-11-06' },
  { name: 'kms', path: 'kms/2014-11-01' },
  { name: 'cloudwatch', path: 'cloudwatch/2010-08-01' },
  // DynamoDB and its streams (json 1.0)
  { name: 'dynamodb', path: 'dynamodb/2012-08-10' },
  { name: 'dynamodbstreams', path: 'dynamodbstreams/2012-08-10' },
  // SNS (query protocol)
  { name: 'sns', path: 'sns/2010-03-31' },
  // EventBridge and EventBridge Scheduler
  { name: 'events', path: 'events/2015-10-07' },
  { name: 'scheduler', path: 'scheduler/2021-06-30' },
  // API Gateway REST APIs (v1)
  { name: 'apigateway', path: 'apigateway/2015-07-09' },
  // API Gateway HTTP and WebSocket APIs (rest-json)
  { name: 'apigatewayv2', path: 'apigatewayv2/2018-11-29' },
  // IAM (query, global) and ECR (json 1.1): what CloudFormation stacks and CDK's bootstrap create
  { name: 'iam', path: 'iam/2010-05-08' },
  { name: 'ecr', path: 'ecr/2015-09-21' },
  // Kinesis Data Streams (json 1.1)
  { name: 'kinesis', path: 'kinesis/2013-12-02' },
  // CloudFormation (query protocol)
  { name: 'cloudformation', path: 'cloudformation/2010-05-15' },
  // CodeDeploy (json 1.1): Lambda deployments, what SAM's DeploymentPreference creates
  { name: 'codedeploy', path: 'codedeploy/2014-10-06' },
  // WebSocket APIs' @connections API, which functions call back.
  { name: 'apigatewaymanagementapi', path: 'apigatewaymanagementapi/2018-11-29' },
];

const botocore =
  process.argv[2] ??
  execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();

const DROP = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage', 'sensitive']);

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!DROP.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

const write = (name, value) => {
  const target = new URL(`../src/wire/models/${name}.json`, import.meta.url);
  writeFileSync(target, JSON.stringify(value) + '\n');
  return target.pathname;
};

/**
 * The query traits of `legacy` (an aws-sdk v2 model: shapes inlined or referenced, traits on refs or
 * shapes) for the operations and shapes of `model` (botocore's): member, list-member and map key/value
 * `locationName`s, `flattened` where the legacy model sets it on a member, and each output's `resultWrapper`.
 */
function queryTraits(model, legacy) {
  const shapes = {};
  const operations = {};
  /** Records traits at shapes[shapeName][slot] (or [slot][member]); a shape reached twice must agree. */
  const set = (shapeName, slot, member, traits) => {
    const entry = (shapes[shapeName] ??= {});
    const holder = member === undefined ? (entry[slot] ??= {}) : ((entry[slot] ??= {})[member] ??= {});
    for (const [k, v] of Object.entries(traits)) {
      if (holder[k] !== undefined && holder[k] !== v) throw new Error(`conflicting ${k} for ${shapeName}.${slot}${member ? `.${member}` : ''}: ${holder[k]} vs ${v}`);
      holder[k] = v;
    }
  };
  const resolve = (ref) => (ref.shape ? { ...legacy.shapes[ref.shape], ...ref, shape: undefined } : ref);
  const traitsOf = (ref) => {
    const out = {};
    if (ref.locationName) out.locationName = ref.locationName;
    if (ref.flattened) out.flattened = true;
    return out;
  };
  const seen = new Set();
  const walk = (shapeName, legacyRef) => {
    const shape = model.shapes[shapeName];
    const legacyShape = resolve(legacyRef);
    const key = `${shapeName}|${JSON.stringify(legacyShape)}`;
    if (!shape || seen.has(key)) return;
    seen.add(key);
    if (shape.type === 'structure') {
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const legacyMember = legacyShape.members?.[member];
        if (!legacyMember) continue;
        const resolved = resolve(legacyMember);
        const traits = traitsOf(resolved);
        if (traits.locationName === member) delete traits.locationName;
        if (traits.flattened && model.shapes[ref.shape]?.flattened) delete traits.flattened;
        if (Object.keys(traits).length > 0) set(shapeName, 'members', member, traits);
        walk(ref.shape, legacyMember);
      }
    } else if (shape.type === 'list' && legacyShape.member) {
      const traits = traitsOf(resolve(legacyShape.member));
      delete traits.flattened;
      if (Object.keys(traits).length > 0) set(shapeName, 'member', undefined, traits);
      walk(shape.member.shape, legacyShape.member);
    } else if (shape.type === 'map' && legacyShape.key && legacyShape.value) {
      for (const slot of ['key', 'value']) {
        const traits = traitsOf(resolve(legacyShape[slot]));
        delete traits.flattened;
        if (Object.keys(traits).length > 0) set(shapeName, slot, undefined, traits);
      }
      walk(shape.value.shape, legacyShape.value);
    }
  };
  for (const [name, op] of Object.entries(model.operations)) {
    const legacyOp = legacy.operations[name];
    if (!legacyOp) continue;
    if (op.input && legacyOp.input) walk(op.input.shape, legacyOp.input);
    if (op.output && legacyOp.output) {
      walk(op.output.shape, legacyOp.output);
      if (legacyOp.output.resultWrapper) operations[name] = { output: { resultWrapper: legacyOp.output.resultWrapper } };
    }
  }
  const { apiVersion, xmlNamespace } = legacy.metadata;
  return { metadata: { protocol: 'query', apiVersion, xmlNamespace }, operations, shapes };
}

const require = createRequire(import.meta.url);

for (const svc of SERVICES) {
  const file = join(botocore, 'data', svc.path, 'service-2.json.gz');
  const model = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const out = strip({ metadata: model.metadata, operations: model.operations, shapes: model.shapes });
  console.log(`${svc.name}: ${Object.keys(out.operations).length} operations -> ${write(svc.name, out)}`);
  if (svc.queryTraitsFrom) {
    const legacy = require(svc.queryTraitsFrom);
    if (legacy.metadata.protocol !== 'query') throw new Error(`${svc.queryTraitsFrom} is not a query-protocol model (aws-sdk must be 2.1490.0)`);
    const traits = queryTraits(out, legacy);
    console.log(`${svc.name}: query traits of ${Object.keys(traits.shapes).length} shapes -> ${write(`${svc.name}.query`, traits)}`);
  }
}
