import { kind, entry, text } from './core.js';

/** The @connections API's errors (REST-JSON): `{"message": ...}` with the name in `x-amzn-ErrorType`. */
export const ApiGatewayManagementErrors = {
  /** The connection is closed or never was; AWS gives no message. */
  gone: entry(kind('GoneException', 410), () => ''),
  payloadTooLarge: entry(kind('PayloadTooLargeException', 413), text),
  forbidden: entry(kind('ForbiddenException', 403), text),
  limitExceeded: entry(kind('LimitExceededException', 429), text),
} as const;

