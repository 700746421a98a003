/** SQS message operations: parse, call the message service, render. Batches answer per entry. */
import type { Outcome, SendRequest } from '../message-service.js';
import { messageSize } from '../message-validation.js';
import type { QueueSystem } from '../queue-system.js';
import { SqsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler, type RequestContext } from '../../../api/service.js';
import { checkBatch, failedEntry, fromWireAttributes, renderMessage, type WireAttribute } from './render.js';
import type { SqsInputs } from '../../../wire/inputs/sqs.js';

interface WireSend {
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, WireAttribute>;
  MessageSystemAttributes?: Record<string, WireAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

function sendRequest(w: WireSend, traceHeader: string | undefined): SendRequest {
  const r: SendRequest = {
    body: w.MessageBody,
    attributes: fromWireAttributes(w.MessageAttributes),
    systemAttributes: fromWireAttributes(w.MessageSystemAttributes),
  };
  if (traceHeader !== undefined) r.traceHeader = traceHeader;
  if (w.DelaySeconds !== undefined) r.delaySeconds = w.DelaySeconds;
  if (w.MessageDeduplicationId !== undefined) r.deduplicationId = w.MessageDeduplicationId;
  if (w.MessageGroupId !== undefined) r.groupId = w.MessageGroupId;
  return r;
}

/** SQS's limit on a SendMessageBatch request, since 2025 the same as on one message. */
const MAX_BATCH_BYTES = 1_048_576;

const senderOf = (ctx: RequestContext, fallback: string): string => ctx.principal.accessKeyId ?? fallback;

export function messageHandlers(q: QueueSystem, accountId: string): Record<string, OperationHandler> {
  return typedHandlers<SqsInputs>({
    async SendMessage(i, ctx) {
      const [outcome] = await q.messages.send(i.QueueUrl, [sendRequest(i, ctx.traceHeader)], senderOf(ctx, accountId));
      if (!outcome!.ok) throw outcome!.error;
      const s = outcome!.value;
      return {
        MessageId: s.messageId,
        MD5OfMessageBody: s.md5OfBody,
        MD5OfMessageAttributes: s.md5OfAttributes,
        MD5OfMessageSystemAttributes: s.md5OfSystemAttributes,
        SequenceNumber: s.sequenceNumber,
      };
    },

    async SendMessageBatch(i, ctx) {
      checkBatch(i.Entries, 'SendMessageBatchRequestEntry');
      const entries = i.Entries!;
      // The whole batch is bounded as one message is: 1 MiB of bodies and attributes.
      const total = entries.reduce((n, e) => n + messageSize(e.MessageBody, fromWireAttributes(e.MessageAttributes)), 0);
      if (total > MAX_BATCH_BYTES) throw SqsErrors.batchRequestTooLong(MAX_BATCH_BYTES, total);
      const outcomes = await q.messages.send(i.QueueUrl, entries.map((e) => sendRequest(e, ctx.traceHeader)), senderOf(ctx, accountId));
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      outcomes.forEach((o, k) => {
        const Id = entries[k]!.Id;
        if (!o.ok) return Failed.push(failedEntry(Id, o.error));
        const s = o.value;
        return Successful.push({
          Id,
          MessageId: s.messageId,
          MD5OfMessageBody: s.md5OfBody,
          MD5OfMessageAttributes: s.md5OfAttributes,
          MD5OfMessageSystemAttributes: s.md5OfSystemAttributes,
          SequenceNumber: s.sequenceNumber,
        });
      });
      return { Successful, Failed };
    },

    async ReceiveMessage(i) {
      const received = await q.messages.receive(i.QueueUrl, {
        ...(i.MaxNumberOfMessages !== undefined ? { maxMessages: i.MaxNumberOfMessages } : {}),
        ...(i.VisibilityTimeout !== undefined ? { visibilityTimeout: i.VisibilityTimeout } : {}),
        ...(i.WaitTimeSeconds !== undefined ? { waitTimeSeconds: i.WaitTimeSeconds } : {}),
      });
      const systemNames = [...(i.AttributeNames ?? []), ...(i.MessageSystemAttributeNames ?? [])];
      const messages = received.map((r) => renderMessage(r, systemNames, i.MessageAttributeNames ?? []));
      return messages.length > 0 ? { Messages: messages } : {};
    },

    async DeleteMessage(i) {
      const [outcome] = await q.messages.delete(i.QueueUrl, [i.ReceiptHandle]);
      if (!outcome!.ok) throw outcome!.error;
      return {};
    },

    async DeleteMessageBatch(i) {
      checkBatch(i.Entries, 'DeleteMessageBatchRequestEntry');
      const entries = i.Entries!;
      const outcomes = await q.messages.delete(i.QueueUrl, entries.map((e) => e.ReceiptHandle));
      return batchResult(entries, outcomes);
    },

    async ChangeMessageVisibility(i) {
      const [outcome] = await q.messages.changeVisibility(i.QueueUrl, [{ handle: i.ReceiptHandle, timeout: i.VisibilityTimeout }]);
      if (!outcome!.ok) throw outcome!.error;
      return {};
    },

    async ChangeMessageVisibilityBatch(i) {
      checkBatch(i.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      const entries = i.Entries!;
      const outcomes = await q.messages.changeVisibility(
        i.QueueUrl,
        entries.map((e) => ({ handle: e.ReceiptHandle, timeout: e.VisibilityTimeout ?? 0 })),
      );
      return batchResult(entries, outcomes);
    },
  });
}

function batchResult(entries: readonly { Id: string }[], outcomes: readonly Outcome<true>[]) {
  const Successful: { Id: string }[] = [];
  const Failed: ReturnType<typeof failedEntry>[] = [];
  outcomes.forEach((o, k) => (o.ok ? Successful.push({ Id: entries[k]!.Id }) : Failed.push(failedEntry(entries[k]!.Id, o.error))));
  return { Successful, Failed };
}
