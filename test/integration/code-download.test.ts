/** GetFunction's Code.Location and GetLayerVersion's Content.Location: signed links that download the zip. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, GetLayerVersionCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { zipDirectory } from '../../src/code/zip-dir.js';
import { createFunction, FIXTURES, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

describe('code download links', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'downloadable', 'echo');
  });
  after(() => t.stop());

  const sha256Base64 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');

  it('GetFunction hands out a link that returns the zip, and refuses a tampered one', async () => {
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'downloadable' }));
    assert.equal(got.Code?.RepositoryType, 'S3');
    const location = got.Code!.Location!;
    assert.ok(location.startsWith(`${t.platform.url}/`), location);
    const res = await fetch(location);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    const zip = new Uint8Array(await res.arrayBuffer());
    assert.equal(sha256Base64(zip), got.Configuration?.CodeSha256);

    const tampered = location.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    const refused = await fetch(tampered);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
  });

  it('GetLayerVersion hands out a link to the layer zip', async () => {
    const zip = await zipDirectory(`${FIXTURES}../layers/greeting-src`);
    const v = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'downloadable-layer', Content: { ZipFile: zip } }));
    const got = await t.lambda.send(new GetLayerVersionCommand({ LayerName: 'downloadable-layer', VersionNumber: v.Version }));
    const res = await fetch(got.Content!.Location!);
    assert.equal(res.status, 200);
    assert.equal(sha256Base64(new Uint8Array(await res.arrayBuffer())), got.Content?.CodeSha256);
  });

  it('boto3 downloads the code as scripts do: get_function, then a plain GET of Code.Location', async () => {
    const script = [
      'import boto3, hashlib, base64, urllib.request',
      `c = boto3.client("lambda", endpoint_url="${t.platform.url}")`,
      'f = c.get_function(FunctionName="downloadable")',
      'data = urllib.request.urlopen(f["Code"]["Location"]).read()',
      'print(base64.b64encode(hashlib.sha256(data).digest()).decode() == f["Configuration"]["CodeSha256"])',
    ].join('\n');
    const out = await run('python3', ['-c', script]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), 'True');
  });
});
