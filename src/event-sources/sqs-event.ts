/**
 * The event Lambda hands a function for a batch of SQS messages, the filter step on its records,
 * and the reading of a ReportBatchItemFailures response. Pure functions.
 */
import { md5OfAttributes } from '../services/sqs/md5.js';
import { sequenceNumber, type StoredMessage } from '../services/sqs/model.js';
import { matchesPattern, parsePattern, type CompiledPattern } from './filter-pattern.js';
import { parseJsonKeepingNumbers } from './json-numbers.js';

export interface SqsRecordAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsRecordAttribute>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export function sqsRecord(m: StoredMessage, receiptHandle: string, queueArn: string, region: string): SqsRecord {
  const fifo = m.groupId !== undefined;
  // Lambda's order of the system attributes, FIFO's in between.
  const attributes: Record<string, string> = { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) };
  if (fifo) {
    attributes['SequenceNumber'] = sequenceNumber(m.seq);
    attributes['MessageGroupId'] = m.groupId!;
  }
  attributes['SenderId'] = m.senderId;
  if (fifo && m.deduplicationId !== undefined) attributes['MessageDeduplicationId'] = m.deduplicationId;
  attributes['ApproximateFirstReceiveTimestamp'] = String(m.firstReceivedAt ?? m.sentAt);
  const trace = m.systemAttributes['AWSTraceHeader']?.stringValue;
  if (trace !== undefined) attributes['AWSTraceHeader'] = trace;
  if (m.deadLetterSourceArn !== undefined) attributes['DeadLetterQueueSourceArn'] = m.deadLetterSourceArn;

  const messageAttributes: Record<string, SqsRecordAttribute> = {};
  for (const [name, a] of Object.entries(m.attributes)) {
    // Lambda's key order: the value, the (always empty) lists, then the type.
    const out: Partial<SqsRecordAttribute> = {};
    if (a.stringValue !== undefined) out.stringValue = a.stringValue;
    if (a.binaryValue !== undefined) out.binaryValue = a.binaryValue;
    messageAttributes[name] = Object.assign({}, out, { stringListValues: [], binaryListValues: [], dataType: a.dataType });
  }
  const record: SqsRecord = { messageId: m.id, receiptHandle, body: m.body, attributes, messageAttributes, md5OfBody: m.md5OfBody, eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: region };
  const md5 = md5OfAttributes(m.attributes);
  if (md5) {
    const { md5OfBody, eventSource, eventSourceARN, awsRegion, ...head } = record;
    return Object.assign({}, head, { md5OfMessageAttributes: md5, md5OfBody, eventSource, eventSourceARN, awsRegion });
  }
  return record;
}

/** A mapping's filters, parsed once. */
export interface SqsFilter {
  pattern: CompiledPattern;
  /** The pattern looks inside `body`: the body must be JSON (Lambda drops the message otherwise). */
  bodyIsJson: boolean;
}

export const parseSqsFilters = (patterns: readonly string[]): SqsFilter[] =>
  patterns.map((text) => {
    const pattern = parsePattern(text);
    const body = pattern.fields.find(([k]) => k === 'body')?.[1];
    return { pattern, bodyIsJson: body?.kind === 'object' };
  });

/** True if the record matches any filter (or there are none). */
export function passesFilters(filters: readonly SqsFilter[], record: SqsRecord): boolean {
  if (filters.length === 0) return true;
  let parsed: { ok: boolean; value?: unknown } | undefined;
  return filters.some((f) => {
    if (!f.bodyIsJson) return matchesPattern(f.pattern, record);
    parsed ??= parseJson(record.body);
    return parsed.ok && matchesPattern(f.pattern, { ...record, body: parsed.value });
  });
}

function parseJson(text: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: parseJsonKeepingNumbers(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The message ids a ReportBatchItemFailures response names, or 'all' when Lambda would treat the
 * whole batch as failed: a response that is not JSON, or an item with no, an empty or an unknown id.
 * An empty or null response or list means the whole batch succeeded.
 */
export function failedItems(payload: Buffer, batchIds: ReadonlySet<string>): Set<string> | 'all' {
  const text = payload.toString('utf8').trim();
  if (text === '' || text === 'null') return new Set();
  const parsed = parseJson(text);
  if (!parsed.ok) return 'all';
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return new Set();
  const list = (v as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'all';
  const failed = new Set<string>();
  for (const item of list) {
    const id = item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}
