/**
 * The messages SNS sends to endpoints: the JSON envelope (Notification, SubscriptionConfirmation),
 * signed, and the `Records[].Sns` event Lambda functions receive.
 */
import type { Notification, SnsMessageAttributes, SubscriptionProtocol, SubscriptionRecord } from './model.js';
import type { MessageSigner, SignatureVersion } from './signing.js';

export interface EnvelopeContext {
  /** The server's base URL: SigningCertURL, SubscribeURL and UnsubscribeURL point at it. */
  baseUrl: () => string;
  /** The base of the SigningCertURL: the TLS listener's (https:) when it runs, so receivers that insist on https can fetch it. */
  certBaseUrl: () => string;
  signer: MessageSigner;
}

/** Where the signing certificate is served (on every listener; messages name the TLS one if it runs). */
export const SIGNING_CERT_PATH = '/_selfless/sns/SimpleNotificationService-selfless.pem';

/** The message a protocol gets: with MessageStructure json, its own entry or the default one. */
export function messageFor(n: Notification, protocol: SubscriptionProtocol): string {
  return n.perProtocol ? (n.perProtocol[protocol] ?? n.perProtocol['default']!) : n.message;
}

export const isoTimestamp = (ms: number): string => new Date(ms).toISOString();

/** Message attributes as the envelope and Lambda's event carry them: `{ Type, Value }`, binary in base64. */
export function envelopeAttributes(attributes: SnsMessageAttributes): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = { Type: a.dataType, Value: a.binaryValue !== undefined ? a.binaryValue.toString('base64') : (a.stringValue ?? '') };
  }
  return out;
}

const unsubscribeUrl = (ctx: EnvelopeContext, subscriptionArn: string) =>
  `${ctx.baseUrl()}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;

async function signed(ctx: EnvelopeContext, fields: Record<string, unknown>, version: SignatureVersion): Promise<{ SignatureVersion: string; Signature: string; SigningCertURL: string }> {
  return { SignatureVersion: version, Signature: await ctx.signer.sign(fields, version), SigningCertURL: `${ctx.certBaseUrl()}${SIGNING_CERT_PATH}` };
}

/** The JSON envelope of a notification, as SQS queues (not raw) and HTTP endpoints receive it. */
export async function notificationEnvelope(ctx: EnvelopeContext, n: Notification, s: SubscriptionRecord, version: SignatureVersion): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: n.messageId,
    ...(n.sequenceNumber !== undefined ? { SequenceNumber: n.sequenceNumber } : {}),
    TopicArn: n.topicArn,
    ...(n.subject !== undefined ? { Subject: n.subject } : {}),
    Message: messageFor(n, s.protocol),
    Timestamp: isoTimestamp(n.timestamp),
  };
  const envelope: Record<string, unknown> = { ...fields, ...(await signed(ctx, fields, version)), UnsubscribeURL: unsubscribeUrl(ctx, s.arn) };
  if (Object.keys(n.attributes).length > 0) envelope['MessageAttributes'] = envelopeAttributes(n.attributes);
  return envelope;
}

/** What an http(s) or email-json endpoint is sent to confirm that it wants the topic's messages. */
export async function confirmationEnvelope(ctx: EnvelopeContext, s: SubscriptionRecord, messageId: string, now: number, version: SignatureVersion): Promise<Record<string, unknown>> {
  const subscribeUrl = `${ctx.baseUrl()}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(s.topicArn)}&Token=${s.token}`;
  const fields: Record<string, unknown> = {
    Type: 'SubscriptionConfirmation',
    MessageId: messageId,
    Token: s.token,
    TopicArn: s.topicArn,
    Message: `You have chosen to subscribe to the topic ${s.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl,
    Timestamp: isoTimestamp(now),
  };
  return { ...fields, ...(await signed(ctx, fields, version)) };
}

/** The event a Lambda function subscribed to a topic is invoked with. */
export async function lambdaEvent(ctx: EnvelopeContext, n: Notification, s: SubscriptionRecord, version: SignatureVersion): Promise<Record<string, unknown>> {
  const envelope = await notificationEnvelope(ctx, n, s, version);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: s.arn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: envelope['Message'],
          Timestamp: envelope['Timestamp'],
          SignatureVersion: envelope['SignatureVersion'],
          Signature: envelope['Signature'],
          // Lambda's event spells these two in its own case.
          SigningCertUrl: envelope['SigningCertURL'],
          UnsubscribeUrl: envelope['UnsubscribeURL'],
          MessageAttributes: envelopeAttributes(n.attributes),
        },
      },
    ],
  };
}
