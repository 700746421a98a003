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
  /** The function could not scale fast enough: no environment was ready within the invocation's wait. */
  | 'FunctionInvocationRateLimitExceeded'
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
  eventInvokeConfigNotFound: (functionArn: string) =>
    new AwsError('ResourceNotFoundException', 404, `The function ${functionArn} doesn't have an EventInvokeConfig`),
} as const;

/**
 * SQS speaks the JSON protocol in "query compatible" mode: `__type` names the model's shape and
 * `x-amzn-query-error: <query code>;Sender` carries the code the SDKs and botocore surface.
 */
const sqs = (shape: string, queryCode: string, status: number, message: string) =>
  new AwsError(`com.amazonaws.sqs#${shape}`, status, message, {}, { 'x-amzn-query-error': `${queryCode};Sender` }, 'User');

export const SqsErrors = {
  queueDoesNotExist: () => sqs('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.'),
  queueNameExists: (name: string) =>
    sqs('QueueNameExists', 'QueueAlreadyExists', 400, `A queue already exists with the same name and a different value for attribute(s) ${name}`),
  invalidParameterValue: (message: string) => sqs('InvalidParameterValueException', 'InvalidParameterValue', 400, message),
  missingParameter: (message: string) => sqs('MissingParameter', 'MissingParameter', 400, message),
  invalidAttributeName: (name: string) => sqs('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),
  invalidAttributeValue: (message: string) => sqs('InvalidAttributeValue', 'InvalidAttributeValue', 400, message),
  invalidMessageContents: (message: string) => sqs('InvalidMessageContents', 'InvalidMessageContents', 400, message),
  receiptHandleIsInvalid: (handle: string) =>
    sqs('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, `The input receipt handle "${handle}" is not a valid receipt handle.`),
  messageNotInflight: () => sqs('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 400, 'The message referred to is not in flight.'),
  emptyBatch: (what: string) =>
    sqs('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 400, `There should be at least one ${what} in the request.`),
  tooManyEntries: (n: number) =>
    sqs('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400, `Maximum number of entries per request are 10. You have sent ${n}.`),
  batchIdsNotDistinct: (id: string) =>
    sqs('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400, `Id ${id} repeated.`),
  invalidBatchEntryId: () =>
    sqs('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 400, 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'),
  batchRequestTooLong: (limit: number, sent: number) =>
    sqs('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', 400, `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`),
  purgeInProgress: (name: string) =>
    sqs('PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403, `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`),
  resourceNotFound: (message: string) => sqs('ResourceNotFoundException', 'ResourceNotFoundException', 404, message),
  unsupportedOperation: (message: string) => sqs('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 400, message),
} as const;
