/**
 * API Gateway's gateway response types, with the status each answers by default: the one table both
 * the control plane (GetGatewayResponses lists every type) and the data plane (which answer a
 * refusal becomes) read.
 */

/** Each type with its default status; DEFAULT_4XX and DEFAULT_5XX have none (each refusal keeps its own). */
export const RESPONSE_TYPES = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  RESOURCE_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  INVALID_API_KEY: 403,
  ACCESS_DENIED: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  INVALID_SIGNATURE: 403,
  EXPIRED_TOKEN: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  API_CONFIGURATION_ERROR: 500,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  WAF_FILTERED: 403,
} as const satisfies Record<string, number | undefined>;

export type ResponseType = keyof typeof RESPONSE_TYPES;

export const isResponseType = (t: string): t is ResponseType => Object.hasOwn(RESPONSE_TYPES, t);

/** The template every default gateway response has: the error's message, as JSON. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
