/** SNS Publish and PublishBatch: parse, call the publisher, render (per entry for a batch). */
import type { SnsMessageAttributes } from '../model.js';
import type { SnsSystem } from '../sns-system.js';
import { ProtocolErrors, SnsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { SnsInputs } from '../../../wire/inputs/sns.js';

type WireAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>;

interface WireMessage {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: WireAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

function attributes(wire: WireAttributes | undefined): SnsMessageAttributes {
  const out: SnsMessageAttributes = {};
  for (const [name, a] of Object.entries(wire ?? {})) {
    out[name] = { dataType: a.DataType, ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}), ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}) };
  }
  return out;
}

const message = (m: WireMessage) => ({
  message: m.Message,
  attributes: attributes(m.MessageAttributes),
  ...(m.Subject !== undefined ? { subject: m.Subject } : {}),
  ...(m.MessageStructure !== undefined ? { messageStructure: m.MessageStructure } : {}),
  ...(m.MessageGroupId !== undefined ? { groupId: m.MessageGroupId } : {}),
  ...(m.MessageDeduplicationId !== undefined ? { deduplicationId: m.MessageDeduplicationId } : {}),
});

export function publishHandlers(sns: SnsSystem): Record<string, OperationHandler> {
  return typedHandlers<SnsInputs>({
    async Publish(i) {
      if (i.PhoneNumber !== undefined) throw ProtocolErrors.notImplemented('Publish to a phone number (SMS)');
      const topicArn = i.TopicArn ?? i.TargetArn;
      if (topicArn === undefined) throw SnsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
      const accepted = await sns.publisher.publish({ topicArn, ...message(i) });
      return { MessageId: accepted.messageId, SequenceNumber: accepted.sequenceNumber };
    },

    async PublishBatch(i) {
      const outcomes = await sns.publisher.publishBatch(i.TopicArn, i.PublishBatchRequestEntries.map((e) => ({ id: e.Id, ...message(e) })));
      return {
        Successful: outcomes.flatMap((o) => (o.ok ? [{ Id: o.id, MessageId: o.accepted.messageId, SequenceNumber: o.accepted.sequenceNumber }] : [])),
        Failed: outcomes.flatMap((o) => (o.ok ? [] : [{ Id: o.id, Code: o.error.kind.queryCode, Message: o.error.message, SenderFault: o.error.kind.fault === 'Sender' }])),
      };
    },
  });
}
