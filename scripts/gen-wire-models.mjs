#!/usr/bin/env node
// Regenerates src/wire/models/*.json from the AWS service models that ship with botocore
// (the `aws` CLI and boto3 carry them). Documentation and examples are stripped; the
// operations, HTTP bindings, shapes and constraints are kept as AWS wrote them.
// Usage: node scripts/gen-wire-models.mjs [path-to-botocore]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const SERVICES = [
  { name: 'lambda', path: 'lambda/2015-03-31' },
  { name: 'logs', path: 'logs/2014-03-28' },
  { name: 'sqs', path: 'sqs/2012-11-05' },
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

for (const svc of SERVICES) {
  const file = join(botocore, 'data', svc.path, 'service-2.json.gz');
  const model = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const out = strip({ metadata: model.metadata, operations: model.operations, shapes: model.shapes });
  const target = new URL(`../src/wire/models/${svc.name}.json`, import.meta.url);
  writeFileSync(target, JSON.stringify(out) + '\n');
  console.log(`${svc.name}: ${Object.keys(out.operations).length} operations -> ${target.pathname}`);
}
