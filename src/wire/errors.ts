/**
 * The one catalog of errors users see: AWS's exception names, HTTP statuses and messages.
 * Domain code throws these; the protocol renderers turn them into wire shapes.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra members of the exception shape, e.g. `Reason` of TooManyRequestsException. */
    readonly fields: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
    readonly type: 'User' | 'Service' = status >= 500 ? 'Service' : 'User',
  ) {
    super(message);
    this.name = code;
  }
}

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'CallerRateLimitExceeded';

export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

export const Errors = {
  resourceNotFound: (message: string) => new AwsError('ResourceNotFoundException', 404, message),
  functionNotFound: (arn: string) => new AwsError('ResourceNotFoundException', 404, `Function not found: ${arn}`),
  resourceConflict: (message: string) => new AwsError('ResourceConflictException', 409, message),
  functionExists: (arn: string) => new AwsError('ResourceConflictException', 409, `Function already exist: ${arn}`),
  invalidParameter: (message: string) => new AwsError('InvalidParameterValueException', 400, message),
  invalidRequestContent: (message: string) => new AwsError('InvalidRequestContentException', 400, message),
  validation: (message: string) => new AwsError('ValidationException', 400, message),
  preconditionFailed: (message: string) => new AwsError('PreconditionFailedException', 412, message),
  requestTooLarge: (limit: number, operation: string) =>
    new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes for the ${operation} operation`),
  tooManyRequests: (reason: ThrottleReason, retryAfterSeconds = 1) =>
    new AwsError('TooManyRequestsException', 429, 'Rate Exceeded.', { Reason: reason }, { 'Retry-After': String(retryAfterSeconds) }),
  /** The function's runtime cannot run here (Lambda: InvalidRuntimeException, 502). */
  invalidRuntime: (message: string) => new AwsError('InvalidRuntimeException', 502, message, {}, {}, 'User'),
  service: (message = 'An internal error occurred.') => new AwsError('ServiceException', 500, message),
  notImplemented: (operation: string) =>
    new AwsError('NotImplementedException', 501, `Selfless does not implement ${operation} yet.`),
  unknownOperation: () => new AwsError('UnknownOperationException', 404, 'The requested operation is not recognized by the service.'),
  /** JSON-protocol services (CloudWatch Logs, SQS) use 400 for a missing resource. */
  jsonResourceNotFound: (message: string) => new AwsError('ResourceNotFoundException', 400, message),
  jsonInvalidParameter: (message: string) => new AwsError('InvalidParameterException', 400, message),
} as const;
