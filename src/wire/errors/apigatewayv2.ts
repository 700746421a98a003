import { kind, entry, text } from './core.js';

const notFound = kind('NotFoundException', 404);

/** API Gateway V2's errors (REST-JSON): `{"message": ...}` with the name in `x-amzn-ErrorType`. */
export const ApiGatewayV2Errors = {
  notFound: entry(notFound, text),
  /** `Invalid API identifier specified 000000000000:abc`, and alike for every resource. */
  invalidIdentifier: entry(notFound, (what: string, id: string) => `Invalid ${what} identifier specified ${id}`),
  badRequest: entry(kind('BadRequestException', 400), text),
  conflict: entry(kind('ConflictException', 409), text),
  tooManyRequests: entry(kind('TooManyRequestsException', 429), text),
} as const;
