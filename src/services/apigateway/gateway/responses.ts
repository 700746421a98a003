/**
 * The answers API Gateway gives itself (its "gateway responses"), with AWS's statuses, bodies and
 * `x-amzn-ErrorType`, and the one place the data plane writes a response: every answer carries
 * `x-amzn-RequestId` and `x-amz-apigw-id`, and none carries a stack trace.
 */
import type { Exchange } from '../../../api/exchange.js';
import type { ResponseType } from '../response-types.js';

export class GatewayResponse extends Error {
  constructor(
    readonly status: number,
    /** Which of the API's gateway responses this is (./refusals.ts applies the one its owner set). */
    readonly responseType: ResponseType,
    /** `$context.error.message`: the text the body carries (AWS sends `null` for a few). */
    readonly text: string | null,
    readonly errorType: string,
    /** The body API Gateway sends when the type is not customised (a few differ in spacing or key). */
    readonly body: string = json(text),
  ) {
    super(text ?? '');
  }
}

const json = (message: string | null, key = 'message') => JSON.stringify({ [key]: message });
// AWS writes these with a space after the colon.
const spaced = (message: string) => `{"message": ${JSON.stringify(message)}}`;

export const Gateway = {
  /** No resource or method matches (AWS answers so, not 404, to give nothing away). */
  missingAuthenticationToken: () => new GatewayResponse(403, 'MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', 'MissingAuthenticationTokenException'),
  /** No such stage, or its execute-api endpoint is disabled. */
  forbidden: () => new GatewayResponse(403, 'DEFAULT_4XX', 'Forbidden', 'ForbiddenException'),
  /** An API key missing, unknown, disabled or not valid for this stage. */
  invalidApiKey: () => new GatewayResponse(403, 'INVALID_API_KEY', 'Forbidden', 'ForbiddenException'),
  /** An AWS_IAM method's signature does not hold: AWS's own words for why. */
  invalidSignature: (message: string) => new GatewayResponse(403, 'INVALID_SIGNATURE', message, 'InvalidSignatureException'),
  unauthorized: () => new GatewayResponse(401, 'UNAUTHORIZED', 'Unauthorized', 'UnauthorizedException'),
  // The authorizer's policy refused: AWS writes these two with a capital `Message`.
  explicitDeny: () => deny('User is not authorized to access this resource with an explicit deny'),
  implicitDeny: () => deny('User is not authorized to access this resource'),
  /** The authorizer function failed or answered something that is not a policy. */
  authorizerFailure: () => new GatewayResponse(500, 'AUTHORIZER_CONFIGURATION_ERROR', null, 'AuthorizerConfigurationException'),
  throttled: () => new GatewayResponse(429, 'THROTTLED', 'Too Many Requests', 'TooManyRequestsException'),
  quotaExceeded: () => new GatewayResponse(429, 'QUOTA_EXCEEDED', 'Limit Exceeded', 'LimitExceededException'),
  /** A validator found required parameters missing. */
  missingParameters: (names: readonly string[]) => {
    const message = `Missing required request parameters: [${names.join(', ')}]`;
    return new GatewayResponse(400, 'BAD_REQUEST_PARAMETERS', message, 'BadRequestException', spaced(message));
  },
  /** A validator found the body not conforming to the method's model. */
  invalidBody: () => new GatewayResponse(400, 'BAD_REQUEST_BODY', 'Invalid request body', 'BadRequestException', spaced('Invalid request body')),
  /** The integration failed or answered something API Gateway cannot map. */
  badGateway: () => new GatewayResponse(502, 'INTEGRATION_FAILURE', 'Internal server error', 'InternalServerErrorException', spaced('Internal server error')),
  internal: () => new GatewayResponse(500, 'API_CONFIGURATION_ERROR', 'Internal server error', 'InternalServerErrorException', spaced('Internal server error')),
  timeout: () => new GatewayResponse(504, 'INTEGRATION_TIMEOUT', 'Endpoint request timed out', 'InternalServerErrorException', spaced('Endpoint request timed out')),
  tooLarge: () => new GatewayResponse(413, 'REQUEST_TOO_LARGE', 'Request Too Long', 'RequestTooLargeException'),
} as const;

function deny(message: string): GatewayResponse {
  return new GatewayResponse(403, 'ACCESS_DENIED', message, 'AccessDeniedException', json(message, 'Message'));
}

export interface Ids {
  requestId: string;
  apigwId: string;
}

/** Writes a response with the ids every answer carries; `close`: the connection carries no other request. */
export function writeResponse(ex: Exchange, ids: Ids, status: number, headers: Record<string, string | string[]>, body: Buffer | string, close = false): void {
  const out: Record<string, string | string[]> = Object.assign({}, headers, { 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.apigwId });
  out['Content-Length'] = String(Buffer.byteLength(body));
  ex.reply(status, out, body, close);
}

/** A refusal as API Gateway words it, or as ./refusals.ts shaped it from the API's gateway responses. */
export function writeGatewayResponse(ex: Exchange, ids: Ids, r: GatewayResponse | { status: number; headers: Record<string, string>; body: string }, close = false): void {
  if (r instanceof GatewayResponse) writeResponse(ex, ids, r.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': r.errorType }, r.body, close);
  else writeResponse(ex, ids, r.status, r.headers, r.body, close);
}
