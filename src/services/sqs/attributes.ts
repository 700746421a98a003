/**
 * Queue attributes: SQS's string map in, typed settings out, and back. Ranges and defaults are
 * SQS's; an unknown or misplaced name is InvalidAttributeName, a bad value InvalidAttributeValue.
 */
import { SqsErrors } from '../../wire/errors.js';
import type { QueueSettings, RedrivePolicy } from './model.js';

interface IntRange {
  key: 'delaySeconds' | 'maximumMessageSize' | 'messageRetentionPeriod' | 'receiveMessageWaitTimeSeconds' | 'visibilityTimeout';
  min: number;
  max: number;
}

const INTEGERS: Record<string, IntRange> = {
  DelaySeconds: { key: 'delaySeconds', min: 0, max: 900 },
  MaximumMessageSize: { key: 'maximumMessageSize', min: 1024, max: 1_048_576 },
  MessageRetentionPeriod: { key: 'messageRetentionPeriod', min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveMessageWaitTimeSeconds', min: 0, max: 20 },
  VisibilityTimeout: { key: 'visibilityTimeout', min: 0, max: 43_200 },
};

/** Kept as given and echoed back; Selfless does not act on them. */
const PASSTHROUGH = new Set(['Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']);
const FIFO_ONLY_PASSTHROUGH = new Set(['DeduplicationScope', 'FifoThroughputLimit']);

/** Read-only attributes GetQueueAttributes computes. `ApproximateAgeOfOldestMessage` is a Selfless extension (seconds). */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateAgeOfOldestMessage',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export function defaultSettings(fifo: boolean): QueueSettings {
  return {
    delaySeconds: 0,
    // SQS's default and ceiling since 2025: 1 MiB.
    maximumMessageSize: 1_048_576,
    messageRetentionPeriod: 345_600,
    receiveMessageWaitTimeSeconds: 0,
    visibilityTimeout: 30,
    fifoQueue: fifo,
    contentBasedDeduplication: false,
    passthrough: fifo ? { SqsManagedSseEnabled: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } : { SqsManagedSseEnabled: 'true' },
  };
}

const invalidValue = (name: string) => SqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}.`);

function parseInt(name: string, value: string, range: IntRange): number {
  if (!/^-?\d+$/.test(value.trim())) throw invalidValue(name);
  const n = Number(value.trim());
  if (n < range.min || n > range.max) throw invalidValue(name);
  return n;
}

function parseBool(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') throw invalidValue(name);
  return v === 'true';
}

export function parseRedrivePolicy(value: string): RedrivePolicy | undefined {
  if (value.trim() === '') return undefined;
  const bad = (reason: string) => SqsErrors.invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw bad('Redrive policy is not a valid JSON map.');
  }
  const p = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.deadLetterTargetArn !== 'string') {
    throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  }
  const count = typeof p.maxReceiveCount === 'string' ? Number(p.maxReceiveCount) : p.maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw bad('Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  }
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

/**
 * Applies attributes to settings. `creating` allows FifoQueue; ContentBasedDeduplication and the
 * FIFO throughput settings exist only on FIFO queues.
 */
export function applyAttributes(base: QueueSettings, attributes: Record<string, string>, creating: boolean): QueueSettings {
  const s: QueueSettings = { ...base, passthrough: { ...base.passthrough } };
  for (const [name, value] of Object.entries(attributes)) {
    const range = INTEGERS[name];
    if (range) s[range.key] = parseInt(name, value, range);
    else if (name === 'RedrivePolicy') {
      const policy = parseRedrivePolicy(value);
      if (policy) s.redrivePolicy = policy;
      else delete s.redrivePolicy;
    } else if (name === 'FifoQueue') {
      if (!creating && !base.fifoQueue) throw SqsErrors.invalidAttributeName(name);
      if (parseBool(name, value) !== base.fifoQueue) throw invalidValue(name);
    } else if (name === 'ContentBasedDeduplication') {
      if (!s.fifoQueue) throw SqsErrors.invalidAttributeName(name);
      s.contentBasedDeduplication = parseBool(name, value);
    } else if (PASSTHROUGH.has(name) || (s.fifoQueue && FIFO_ONLY_PASSTHROUGH.has(name))) {
      s.passthrough[name] = value;
    } else throw SqsErrors.invalidAttributeName(name);
  }
  return s;
}

export const redrivePolicyText = (p: RedrivePolicy): string =>
  JSON.stringify({ deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: p.maxReceiveCount });

/** The settable attributes as SQS's string map. */
export function settingsToAttributes(s: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    DelaySeconds: String(s.delaySeconds),
    MaximumMessageSize: String(s.maximumMessageSize),
    MessageRetentionPeriod: String(s.messageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(s.receiveMessageWaitTimeSeconds),
    VisibilityTimeout: String(s.visibilityTimeout),
    ...s.passthrough,
  };
  if (s.redrivePolicy) out['RedrivePolicy'] = redrivePolicyText(s.redrivePolicy);
  if (s.fifoQueue) {
    out['FifoQueue'] = 'true';
    out['ContentBasedDeduplication'] = String(s.contentBasedDeduplication);
  }
  return out;
}

/** Whether `name` may be asked of GetQueueAttributes for a queue of this kind. */
export function isKnownAttribute(name: string, fifo: boolean): boolean {
  if (name === 'All' || name in INTEGERS || name === 'RedrivePolicy' || PASSTHROUGH.has(name)) return true;
  if ((COMPUTED_ATTRIBUTES as readonly string[]).includes(name)) return true;
  return fifo && (name === 'FifoQueue' || name === 'ContentBasedDeduplication' || FIFO_ONLY_PASSTHROUGH.has(name));
}

/** CreateQueue on an existing queue succeeds only if every given attribute equals the queue's value. */
export function firstDifference(existing: QueueSettings, requested: QueueSettings, given: Record<string, string>): string | undefined {
  const a = settingsToAttributes(existing);
  const b = settingsToAttributes(requested);
  return Object.keys(given).find((name) => (a[name] ?? '') !== (b[name] ?? ''));
}
