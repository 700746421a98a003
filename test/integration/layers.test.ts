import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DeleteLayerVersionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionCommand,
  InvokeCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { FIXTURES, createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('layers', () => {
  let t: TestPlatform;
  let layerArn = '';
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  it('publishes layer versions with their content hash, never reusing a number', async () => {
    // A layer lays its files out as Lambda expects under /opt: nodejs/node_modules/... and python/...
    const src = join(FIXTURES, '..', 'layers', 'greeting-src');
    const zip = await zipEntries({
      'nodejs/node_modules/greeting/index.js': readFileSync(join(src, 'greeting.js')),
      'python/greet.py': readFileSync(join(src, 'greet.py')),
    });
    const v1 = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs20.x', 'python3.11'] }));
    assert.equal(v1.Version, 1);
    assert.equal(v1.LayerVersionArn, 'arn:aws:lambda:us-east-1:000000000000:layer:greeting:1');
    assert.equal(v1.Content?.CodeSize, zip.length);
    const v2 = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: zip }, Description: 'second' }));
    assert.equal(v2.Version, 2);
    layerArn = v2.LayerVersionArn!;
    await t.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 1 }));
    const gone = await t.lambda.send(new GetLayerVersionCommand({ LayerName: 'greeting', VersionNumber: 1 })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
    const v3 = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { ZipFile: zip } }));
    assert.equal(v3.Version, 3);
    const versions = await t.lambda.send(new ListLayerVersionsCommand({ LayerName: 'greeting' }));
    assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [3, 2]);
    const layers = await t.lambda.send(new ListLayersCommand({}));
    assert.deepEqual(layers.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version]), [['greeting', 3]]);
  });

  it('unpacks a function\'s layers under /opt, where Node.js and Python import from them', async () => {
    await createFunction(t.lambda, 'node-layered', 'uses-layer', { Layers: [layerArn] });
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'node-layered' }));
    assert.equal(config.Layers?.[0]?.Arn, layerArn);
    const node = await t.lambda.send(new InvokeCommand({ FunctionName: 'node-layered', Payload: Buffer.from('{"name":"node"}') }));
    assert.equal(node.FunctionError, undefined, Buffer.from(node.Payload ?? []).toString());
    assert.deepEqual(decode(node.Payload), { message: 'hello node, from a layer', opt: ['nodejs', 'python'] });

    await createFunction(t.lambda, 'py-layered', 'python-uses-layer', { Runtime: 'python3.11', Handler: 'app.handler', Layers: [layerArn] });
    const py = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-layered', Payload: Buffer.from('{"name":"python"}') }));
    assert.equal(py.FunctionError, undefined, Buffer.from(py.Payload ?? []).toString());
    assert.deepEqual(decode(py.Payload), { message: 'hello python, from a layer' });
  });

  it('refuses a layer version that does not exist', async () => {
    const err = await createFunction(t.lambda, 'bad-layer', 'echo', { Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:greeting:1'] }).catch((e: Error) => e);
    assert.equal((err as Error).name, 'InvalidParameterValueException');
  });
});
