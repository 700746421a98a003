/**
 * With a TLS listener, SNS names an https: SigningCertURL ending in .pem, as sns-validator-style checks
 * require, and the certificate fetched there over TLS verifies the message's signature.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createQueue, receive, snsClient, verifySnsSignature } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';

/** GETs a URL over TLS, trusting only the given CA. */
function fetchTrusting(ca: Buffer): (url: string) => Promise<string> {
  return (url) =>
    new Promise((resolve, reject) => {
      get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`))));
      }).on('error', reject);
    });
}

describe('SNS signing certificate over TLS', () => {
  let t: TestPlatform;
  let sns: SNSClient;
  let sqs: SQSClient;

  before(async () => {
    t = await startTestPlatform({ tlsPort: 0 });
    sns = snsClient(t.platform.url);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    sns.destroy();
    sqs.destroy();
    await t.stop();
  });

  it('names the https: URL of the TLS listener, and the certificate served there verifies versions 1 and 2', async () => {
    const q = await createQueue(sqs, 'signed-tls');
    const messages: Record<string, string>[] = [];
    for (const version of ['1', '2']) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `signed-v${version}`, Attributes: { SignatureVersion: version } }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
      await sns.send(new PublishCommand({ TopicArn, Message: `over tls ${version}`, Subject: 'tls' }));
    }
    for (const m of await receive(sqs, q.url, 2)) messages.push(JSON.parse(m.Body!) as Record<string, string>);
    const fetchCert = fetchTrusting(readFileSync(t.platform.caFile!));
    assert.deepEqual(messages.map((m) => m['SignatureVersion']).sort(), ['1', '2']);
    for (const m of messages) {
      const url = new URL(m['SigningCertURL']!);
      assert.equal(`${url.protocol}//${url.host}`, t.platform.tlsUrl);
      assert.match(url.pathname, /\.pem$/);
      assert.equal(await verifySnsSignature(m, fetchCert), true);
      assert.equal(await verifySnsSignature({ ...m, Message: 'tampered' }, fetchCert), false);
    }
  });
});
