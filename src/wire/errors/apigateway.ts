import { kind, entry, text } from './core.js';

/** API Gateway's control-plane errors (REST-JSON): `{"message": ...}` with `x-amzn-ErrorType`. */
export const ApiGatewayErrors = {
  notFound: entry(kind('NotFoundException', 404), text),
  badRequest: entry(kind('BadRequestException', 400), text),
  conflict: entry(kind('ConflictException', 409), text),
  tooManyRequests: entry(kind('TooManyRequestsException', 429), text),
  limitExceeded: entry(kind('LimitExceededException', 429), text),
} as const;
