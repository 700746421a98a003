/**
 * Lambda's invocation record, the message a destination receives:
 * {version, timestamp, requestContext{requestId, functionArn, condition, approximateInvokeCount},
 *  requestPayload, responseContext{statusCode, executedVersion, functionError?}, responsePayload}.
 */
import type { LastResponse } from './model.js';

export type RecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface RecordInput {
  requestId: string;
  /** The function's ARN qualified with the version that ran, e.g. `...:function:name:$LATEST`. */
  functionArn: string;
  condition: RecordCondition;
  approximateInvokeCount: number;
  timestampMs: number;
  requestPayload: Buffer;
  /** The last attempt's response; absent when the event never ran (e.g. throttled until it expired). */
  response?: LastResponse;
}

export function invocationRecord(r: RecordInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(r.timestampMs).toISOString(),
    requestContext: {
      requestId: r.requestId,
      functionArn: r.functionArn,
      condition: r.condition,
      approximateInvokeCount: r.approximateInvokeCount,
    },
    requestPayload: asJson(r.requestPayload.toString('utf8')),
  };
  if (r.response) {
    record['responseContext'] = {
      statusCode: 200,
      executedVersion: r.response.executedVersion,
      ...(r.response.ok ? {} : { functionError: 'Unhandled' }),
    };
    record['responsePayload'] = asJson(r.response.payload);
  }
  return record;
}

/** Payloads are JSON in practice; anything else is carried as a string rather than dropped. */
function asJson(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
