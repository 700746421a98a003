/**
 * The answers API Gateway gives itself (its "gateway responses"), with AWS's statuses, bodies and
 * `x-amzn-ErrorType`, and the one place the data plane writes a response: every answer carries
 * `x-amzn-RequestId` and `x-amz-apigw-id`, and none carries a stack trace.
 */
import type { ServerResponse } from 'node:http';

export class GatewayResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly errorType: string,
  ) {
    super(body);
  }
}

const json = (message: string | null, key = 'message') => JSON.stringify({ [key]: message });

export const Gateway = {
  /** No resource or method matches (AWS answers so, not 404, to give nothing away). */
  missingAuthenticationToken: () => new GatewayResponse(403, json('Missing Authentication Token'), 'MissingAuthenticationTokenException'),
  /** No such stage, or an API key missing or not valid for this stage. */
  forbidden: () => new GatewayResponse(403, json('Forbidden'), 'ForbiddenException'),
  /** An AWS_IAM method's signature does not hold: AWS's own words for why. */
  invalidSignature: (message: string) => new GatewayResponse(403, json(message), 'InvalidSignatureException'),
  unauthorized: () => new GatewayResponse(401, json('Unauthorized'), 'UnauthorizedException'),
  // The authorizer's policy refused: AWS writes these two with a capital `Message`.
  explicitDeny: () => new GatewayResponse(403, json('User is not authorized to access this resource with an explicit deny', 'Message'), 'AccessDeniedException'),
  implicitDeny: () => new GatewayResponse(403, json('User is not authorized to access this resource', 'Message'), 'AccessDeniedException'),
  /** The authorizer function failed or answered something that is not a policy. */
  authorizerFailure: () => new GatewayResponse(500, json(null), 'AuthorizerConfigurationException'),
  throttled: () => new GatewayResponse(429, json('Too Many Requests'), 'TooManyRequestsException'),
  quotaExceeded: () => new GatewayResponse(429, json('Limit Exceeded'), 'LimitExceededException'),
  /** The integration failed or answered something API Gateway cannot map (note AWS's space after the colon). */
  badGateway: () => new GatewayResponse(502, '{"message": "Internal server error"}', 'InternalServerErrorException'),
  internal: () => new GatewayResponse(500, '{"message": "Internal server error"}', 'InternalServerErrorException'),
  timeout: () => new GatewayResponse(504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException'),
  tooLarge: () => new GatewayResponse(413, json('Request Too Long'), 'RequestTooLargeException'),
} as const;

export interface Ids {
  requestId: string;
  apigwId: string;
}

/** Writes a response with the ids every answer carries. */
export function writeResponse(res: ServerResponse, ids: Ids, status: number, headers: Record<string, string | string[]>, body: Buffer | string): void {
  if (res.headersSent) return void res.end();
  const out: Record<string, string | string[]> = { ...headers, 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.apigwId };
  out['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(status, out);
  res.end(body);
}

export function writeGatewayResponse(res: ServerResponse, ids: Ids, r: GatewayResponse): void {
  writeResponse(res, ids, r.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': r.errorType }, r.body);
}
