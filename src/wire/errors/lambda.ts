import { kind, entry, text } from './core.js';

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  /** The function could not scale fast enough: no environment was ready within the invocation's wait. */
  | 'FunctionInvocationRateLimitExceeded'
  | 'CallerRateLimitExceeded';

export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

const lambda = {
  notFound: kind('ResourceNotFoundException', 404),
  conflict: kind('ResourceConflictException', 409),
  invalidParameter: kind('InvalidParameterValueException', 400),
  invalidRequestContent: kind('InvalidRequestContentException', 400),
  preconditionFailed: kind('PreconditionFailedException', 412),
  tooLarge: kind('RequestEntityTooLargeException', 413, {
    outsideModel: "Lambda's front end answers an oversized request with it; the model lists RequestTooLargeException",
  }),
  throttled: kind('TooManyRequestsException', 429),
  // A 502 blamed on the caller: Lambda's `Type` is User.
  invalidRuntime: kind('InvalidRuntimeException', 502, { fault: 'Sender' }),
  service: kind('ServiceException', 500),
  provisionedNotFound: kind('ProvisionedConcurrencyConfigNotFoundException', 404),
  recursive: kind('RecursiveInvocationException', 400),
  efsMountFailure: kind('EFSMountFailureException', 403),
  noPublishedVersion: kind('NoPublishedVersionException', 400),
  capacityProviderLimit: kind('CapacityProviderLimitExceededException', 400),
  accessDenied: kind('AccessDeniedException', 403, { outsideModel: "IAM's answer on every service to a caller no policy allows" }),
};

/** Lambda's errors (REST-JSON). */
export const Errors = {
  resourceNotFound: entry(lambda.notFound, text),
  functionNotFound: entry(lambda.notFound, (arn: string) => `Function not found: ${arn}`),
  capacityProviderNotFound: entry(lambda.notFound, (arn: string) => `Capacity provider not found: ${arn}`),
  noPublishedVersion: entry(lambda.noPublishedVersion, (arn: string) => `The function has no published versions available: ${arn}`),
  capacityProviderLimitExceeded: entry(lambda.capacityProviderLimit, (limit: number) => `The maximum number of capacity providers for your account (${limit}) has been exceeded.`),
  statementNotFound: entry(lambda.notFound, (sid: string) => `Statement ${sid} is not found in resource policy.`),
  eventInvokeConfigNotFound: entry(lambda.notFound, (functionArn: string) => `The function ${functionArn} doesn't have an EventInvokeConfig`),
  provisionedConcurrencyConfigNotFound: entry(lambda.provisionedNotFound, () => 'No Provisioned Concurrency Config found for this function'),
  resourceConflict: entry(lambda.conflict, text),
  functionExists: entry(lambda.conflict, (arn: string) => `Function already exist: ${arn}`),
  /** Invoke of a function or version that is not Active (Pending, Failed, Inactive). */
  notActive: entry(lambda.conflict, (state: string) => `The operation cannot be performed at this time. The function is currently in the following state: ${state}`),
  invalidParameter: entry(lambda.invalidParameter, text),
  invalidRequestContent: entry(lambda.invalidRequestContent, text),
  preconditionFailed: entry(lambda.preconditionFailed, text),
  requestTooLarge: entry(lambda.tooLarge, (limit: number, operation: string) => `Request must be smaller than ${limit} bytes for the ${operation} operation`),
  tooManyRequests: entry(
    lambda.throttled,
    (_reason: ThrottleReason, _retryAfterSeconds?: number) => 'Rate Exceeded.',
    (reason: ThrottleReason, retryAfterSeconds = 1) => ({ fields: { Reason: reason }, headers: { 'Retry-After': String(retryAfterSeconds) } }),
  ),
  /** The function's runtime cannot run here. */
  invalidRuntime: entry(lambda.invalidRuntime, text),
  /** A caller of another account uses a layer version whose policy does not grant it. */
  layerAccessDenied: entry(
    lambda.accessDenied,
    (account: string, resource: string) =>
      `User: arn:aws:iam::${account}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${resource} because no resource-based policy allows the lambda:GetLayerVersion action`,
  ),
  /** The function's file system cannot be shown to its environment (no folder mapped, no sandbox). */
  efsMountFailure: entry(lambda.efsMountFailure, text),
  service: entry(lambda.service, (message: string = 'An internal error occurred.') => message),
  recursiveInvocation: entry(
    lambda.recursive,
    (functionArn: string) => `Lambda detected a recursive loop involving ${functionArn} and stopped its invocation (PutFunctionRecursionConfig with RecursiveLoop Allow lets it run).`,
  ),
  /**
   * A `{{resolve:...}}` reference in the function's environment could not be resolved at start
   * (a Selfless extension). Lambda's errors for environment variables it cannot prepare are its KMS
   * family (502): this is the one whose name fits a reference that is not found.
   */
  environmentReferenceUnresolved: entry(kind('KMSNotFoundException', 502), text),
} as const;
