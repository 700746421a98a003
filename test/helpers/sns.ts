/** SNS test helpers: a client for a test server, a queue to read deliveries from, signature checks. */
import { createVerify } from 'node:crypto';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { CREDENTIALS } from './platform.js';

export const snsClient = (endpoint: string): SNSClient => new SNSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: a.Attributes!['QueueArn']! };
}

/** Receives (and deletes, so a FIFO group moves on) until `count` messages came or the generous deadline passed. */
export async function receive(sqs: SQSClient, url: string, count: number, waitSeconds = 1, deadlineMs = 60_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + deadlineMs;
  do {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], VisibilityTimeout: 600 }),
    );
    const batch = res.Messages ?? [];
    got.push(...batch);
    if (batch.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  } while (got.length < count && Date.now() < deadline);
  return got;
}

/** Everything a queue holds now: receives (and deletes) until a receive comes back empty. */
export async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const got: Message[] = [];
  for (;;) {
    const before = got.length;
    got.push(...(await receive(sqs, url, 1, 0, 0)));
    if (got.length === before) return got;
  }
}

const SIGNED = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

/**
 * Verifies an SNS message as AWS's own SDK validators do: fetch the certificate at SigningCertURL,
 * rebuild the string to sign, check the signature (SHA1 for version 1, SHA256 for 2).
 */
export async function verifySnsSignature(m: Record<string, string>, fetchCert: (url: string) => Promise<string> = async (url) => (await fetch(url)).text()): Promise<boolean> {
  const cert = await fetchCert(m['SigningCertURL']!);
  const fields = SIGNED[m['Type'] as keyof typeof SIGNED];
  const text = fields.filter((f) => m[f] !== undefined).map((f) => `${f}\n${m[f]}\n`).join('');
  return createVerify(m['SignatureVersion'] === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(text).verify(cert, m['Signature']!, 'base64');
}
