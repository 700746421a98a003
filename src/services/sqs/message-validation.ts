/**
 * Checks a message before it is stored, with SQS's rules and messages: allowed body characters,
 * attribute names, data types and values, at most 10 attributes, and the queue's size limit
 * (body plus attribute names, types and values).
 */
import { SqsErrors } from '../../wire/errors.js';
import type { MessageAttributes } from './model.js';

// XML 1.0 characters: #x9 #xA #xD [#x20-#xD7FF] [#xE000-#xFFFD] [#x10000-#x10FFFF]
const INVALID_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;

export function checkBody(body: string): void {
  if (body.length === 0) throw SqsErrors.invalidParameterValue('The request must contain the parameter MessageBody.');
  if (INVALID_CHARS.test(body)) {
    throw SqsErrors.invalidMessageContents('Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
}

export function checkAttributes(attributes: MessageAttributes, kind: 'message' | 'system'): void {
  const names = Object.keys(attributes);
  if (kind === 'message' && names.length > 10) {
    throw SqsErrors.invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  }
  for (const name of names) {
    if (kind === 'system' && name !== 'AWSTraceHeader') {
      throw SqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    const lower = name.toLowerCase();
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || lower.startsWith('aws.') || lower.startsWith('amazon.')) {
      throw SqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    const a = attributes[name]!;
    if (!DATA_TYPE.test(a.dataType) || a.dataType.length > 256) {
      throw SqsErrors.invalidParameterValue(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    const binary = a.dataType.startsWith('Binary');
    const value = binary ? a.binaryValue : a.stringValue;
    if (value === undefined || value === '') {
      throw SqsErrors.invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${binary ? 'Binary' : a.dataType.split('.')[0]}'.`);
    }
    if (a.dataType.startsWith('Number') && (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a.stringValue!) || a.stringValue!.length > 38)) {
      throw SqsErrors.invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    if (!binary && INVALID_CHARS.test(a.stringValue!)) {
      throw SqsErrors.invalidParameterValue(`Message (user) attribute '${name}' contains invalid characters.`);
    }
  }
}

export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.dataType, 'utf8');
    size += a.binaryValue !== undefined ? Buffer.from(a.binaryValue, 'base64').length : Buffer.byteLength(a.stringValue ?? '', 'utf8');
  }
  return size;
}

export function checkSize(body: string, attributes: MessageAttributes, limit: number): void {
  if (messageSize(body, attributes) > limit) {
    throw SqsErrors.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
  }
}
