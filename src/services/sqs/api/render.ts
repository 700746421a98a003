/** Wire shapes of SQS to and from the queue service's model: message attributes, messages, batch entries. */
import type { AwsError } from '../../../wire/errors.js';
import { SqsErrors } from '../../../wire/errors.js';
import { md5OfAttributes } from '../md5.js';
import { sequenceNumber, type MessageAttributes } from '../model.js';
import type { Received } from '../message-service.js';

export interface WireAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

export function fromWireAttributes(wire: Record<string, WireAttribute> | undefined): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, a] of Object.entries(wire ?? {})) {
    out[name] = { dataType: a.DataType };
    if (a.StringValue !== undefined) out[name].stringValue = a.StringValue;
    if (a.BinaryValue !== undefined) out[name].binaryValue = a.BinaryValue.toString('base64');
  }
  return out;
}

function toWireAttributes(attributes: MessageAttributes): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = { DataType: a.dataType };
    if (a.stringValue !== undefined) out[name].StringValue = a.stringValue;
    if (a.binaryValue !== undefined) out[name].BinaryValue = a.binaryValue;
  }
  return out;
}

/** `All`, `.*`, exact names and `prefix.*`, as ReceiveMessage's MessageAttributeNames. */
function selectAttributes(attributes: MessageAttributes, names: readonly string[]): MessageAttributes {
  if (names.length === 0) return {};
  const all = names.includes('All') || names.includes('.*');
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -1));
  const out: MessageAttributes = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (all || names.includes(name) || prefixes.some((p) => name.startsWith(p))) out[name] = a;
  }
  return out;
}

function systemAttributes(r: Received, names: readonly string[]): Record<string, string> {
  const m = r.message;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
    SequenceNumber: m.groupId !== undefined && m.deduplicationId !== undefined ? sequenceNumber(m.seq) : undefined,
    MessageDeduplicationId: m.deduplicationId,
    MessageGroupId: m.groupId,
    AWSTraceHeader: m.systemAttributes['AWSTraceHeader']?.stringValue,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && (all || names.includes(k))) out[k] = v;
  return out;
}

export function renderMessage(r: Received, systemNames: readonly string[], attributeNames: readonly string[]): Record<string, unknown> {
  const selected = selectAttributes(r.message.attributes, attributeNames);
  const out: Record<string, unknown> = {
    MessageId: r.message.id,
    ReceiptHandle: r.receiptHandle,
    MD5OfBody: r.message.md5OfBody,
    Body: r.message.body,
  };
  const attrs = systemAttributes(r, systemNames);
  if (Object.keys(attrs).length > 0) out['Attributes'] = attrs;
  const md5 = md5OfAttributes(selected);
  if (md5) {
    out['MD5OfMessageAttributes'] = md5;
    out['MessageAttributes'] = toWireAttributes(selected);
  }
  return out;
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** SQS's checks on a batch as a whole: 1 to 10 entries with distinct, well-formed ids. */
export function checkBatch(entries: readonly { Id: string }[] | undefined, what: string): void {
  if (!entries || entries.length === 0) throw SqsErrors.emptyBatch(what);
  if (entries.length > 10) throw SqsErrors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    if (!BATCH_ID.test(e.Id)) throw SqsErrors.invalidBatchEntryId();
    if (seen.has(e.Id)) throw SqsErrors.batchIdsNotDistinct(e.Id);
    seen.add(e.Id);
  }
}

export function failedEntry(id: string, err: AwsError): { Id: string; SenderFault: boolean; Code: string; Message: string } {
  return { Id: id, SenderFault: err.kind.fault === 'Sender', Code: err.kind.queryCode, Message: err.message };
}
