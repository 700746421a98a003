import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { s3Location, templateBodyOf } from '../../src/services/cloudformation/template/template-source.js';

const SERVER = 'http://127.0.0.1:4566';

describe('CloudFormation TemplateURL: addresses mapped onto this server\'s S3', () => {
  it('reads path- and virtual-hosted-style URLs of this server and of s3.amazonaws.com', () => {
    const cases: [string, { bucket: string; key: string } | undefined][] = [
      ['http://127.0.0.1:4566/b/dir/t.yaml', { bucket: 'b', key: 'dir/t.yaml' }],
      ['http://localhost:4566/b/t.json', { bucket: 'b', key: 't.json' }],
      ['http://my.bucket.localhost:4566/t.json', { bucket: 'my.bucket', key: 't.json' }],
      ['http://b.localhost:4566/k/t.json', { bucket: 'b', key: 'k/t.json' }],
      ['https://s3.amazonaws.com/b/t.json', { bucket: 'b', key: 't.json' }],
      ['https://s3.eu-west-1.amazonaws.com/b/x/t.json', { bucket: 'b', key: 'x/t.json' }],
      ['https://s3-eu-west-1.amazonaws.com/b/t.json', { bucket: 'b', key: 't.json' }],
      ['https://b.s3.amazonaws.com/t%20x.json', { bucket: 'b', key: 't x.json' }],
      ['https://cdk-hnb659fds-assets-1-us-east-1.s3.us-east-1.amazonaws.com/abc.json', { bucket: 'cdk-hnb659fds-assets-1-us-east-1', key: 'abc.json' }],
      ['https://example.com/b/t.json', undefined],
      ['not a url', undefined],
    ];
    for (const [url, expected] of cases) assert.deepEqual(s3Location(url, SERVER), expected, url);
  });

  it('takes TemplateBody as it is, reads TemplateURL through S3, and refuses other addresses and both at once', async () => {
    const reads: string[] = [];
    const read = async (bucket: string, key: string) => {
      reads.push(`${bucket}/${key}`);
      return Buffer.from('{"Resources":{}}');
    };
    assert.equal(await templateBodyOf({ templateBody: 'x' }, SERVER, read), 'x');
    assert.equal(await templateBodyOf({ templateUrl: 'https://b.s3.amazonaws.com/t.json' }, SERVER, read), '{"Resources":{}}');
    assert.deepEqual(reads, ['b/t.json']);
    await assert.rejects(templateBodyOf({ templateUrl: 'https://example.com/t.json' }, SERVER, read), /TemplateURL must be a supported URL/);
    await assert.rejects(templateBodyOf({ templateBody: 'x', templateUrl: 'https://b.s3.amazonaws.com/t' }, SERVER, read), /Specify exactly one of TemplateBody or TemplateUrl/);
    await assert.rejects(templateBodyOf({}, SERVER, read), /Either Template URL or Template Body must be specified/);
    await assert.rejects(templateBodyOf({ templateUrl: 'https://b.s3.amazonaws.com/t' }, SERVER, async () => Promise.reject(new Error('NoSuchKey'))), /S3 error/);
  });
});
