/** Checks what a publisher sends, with SNS's limits and messages. */
import { SnsErrors } from '../../wire/errors.js';
import type { SnsMessageAttributes } from './model.js';

export const MAX_MESSAGE_BYTES = 256 * 1024;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

export function checkMessage(message: string, subject: string | undefined): void {
  if (message === '') throw SnsErrors.invalidParameter('Empty message');
  if (subject !== undefined && (subject === '' || subject.length > 100 || /[\x00-\x1f]/.test(subject))) throw SnsErrors.invalidParameter('Subject');
}

/** Message plus attribute names, types and values: the size SNS holds to 256 KiB. */
export function publicationBytes(message: string, attributes: SnsMessageAttributes): number {
  let n = Buffer.byteLength(message, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.dataType) + (a.binaryValue?.length ?? Buffer.byteLength(a.stringValue ?? ''));
  }
  return n;
}

/** With MessageStructure json: the message per protocol, which must have a `default` entry. */
export function perProtocolMessages(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw SnsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw SnsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  if (out['default'] === undefined) throw SnsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

export function checkAttributes(attributes: SnsMessageAttributes): void {
  for (const [name, a] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.includes('..') || name.startsWith('.') || name.endsWith('.')) {
      throw SnsErrors.invalidParameterValue(`The message attribute name '${name}' is invalid.`);
    }
    const base = a.dataType.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw SnsErrors.invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (a.binaryValue === undefined || a.binaryValue.length === 0) throw emptyValue(name, a.dataType);
      continue;
    }
    const value = a.stringValue;
    if (value === undefined || value === '') throw emptyValue(name, a.dataType);
    if (a.dataType === 'String.Array' && !isJsonArray(value)) {
      throw SnsErrors.invalidParameterValue(`The message attribute '${name}' with type 'String.Array' has an invalid value: it must be a JSON array of strings, numbers, booleans or nulls.`);
    }
    if (base === 'Number' && !a.dataType.endsWith('.Array') && !Number.isFinite(Number(value))) {
      throw SnsErrors.invalidParameterValue(`The message attribute '${name}' with type 'Number' must have a numeric value.`);
    }
  }
}

const emptyValue = (name: string, type: string) =>
  SnsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);

function isJsonArray(value: string): boolean {
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  } catch {
    return false;
  }
}
