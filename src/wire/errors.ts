/**
 * The one catalog of errors users see. Each kind holds AWS's exception name, HTTP status, fault and,
 * for query-protocol clients, the code they read; each entry pairs a kind with its message template.
 * Domain code throws entries' errors and tests them with the predicates below; each protocol module
 * has one renderer that turns them into its wire shape. test/unit/errors-catalog.test.ts checks
 * every kind against its service model.
 */
export type Fault = 'Sender' | 'Receiver';

export interface ErrorKind {
  /** The exception shape's name, which JSON and REST-JSON clients match on. */
  readonly name: string;
  readonly status: number;
  readonly fault: Fault;
  /** What query-protocol clients read as `<Code>` (the model's `error.code` / `awsQueryError`). */
  readonly queryCode: string;
  /** Why the kind is not among its model's exception shapes, when it is not: AWS sends it all the same. */
  readonly outsideModel?: string;
}

interface KindOptions {
  fault?: Fault;
  queryCode?: string;
  outsideModel?: string;
}

const kind = (name: string, status: number, o: KindOptions = {}): ErrorKind =>
  Object.freeze({
    name,
    status,
    fault: o.fault ?? (status >= 500 ? 'Receiver' : 'Sender'),
    queryCode: o.queryCode ?? name,
    ...(o.outsideModel ? { outsideModel: o.outsideModel } : {}),
  });

export class AwsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Extra members of the exception shape, e.g. `Reason` of TooManyRequestsException. */
    readonly fields: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = kind.name;
  }

  get code(): string {
    return this.kind.name;
  }

  get status(): number {
    return this.kind.status;
  }
}

/** A catalog entry: call it for an error; `kind` says what the error is. */
export interface ErrorEntry<A extends unknown[]> {
  (...args: A): AwsError;
  readonly kind: ErrorKind;
}

function entry<A extends unknown[]>(
  k: ErrorKind,
  message: (...args: A) => string,
  extra?: (...args: A) => { fields?: Record<string, string>; headers?: Record<string, string> },
): ErrorEntry<A> {
  const make = (...args: A) => {
    const e = extra?.(...args);
    return new AwsError(k, message(...args), e?.fields, e?.headers);
  };
  return Object.assign(make, { kind: k });
}

const text = (message: string) => message;

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
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
};

/** Lambda's errors (REST-JSON). */
export const Errors = {
  resourceNotFound: entry(lambda.notFound, text),
  functionNotFound: entry(lambda.notFound, (arn: string) => `Function not found: ${arn}`),
  statementNotFound: entry(lambda.notFound, (sid: string) => `Statement ${sid} is not found in resource policy.`),
  eventInvokeConfigNotFound: entry(lambda.notFound, (functionArn: string) => `The function ${functionArn} doesn't have an EventInvokeConfig`),
  provisionedConcurrencyConfigNotFound: entry(lambda.provisionedNotFound, () => 'No Provisioned Concurrency Config found for this function'),
  resourceConflict: entry(lambda.conflict, text),
  functionExists: entry(lambda.conflict, (arn: string) => `Function already exist: ${arn}`),
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
  service: entry(lambda.service, (message: string = 'An internal error occurred.') => message),
} as const;

/** Errors of every service, whatever its protocol: what the request itself got wrong, or the server. */
const common = {
  validation: kind('ValidationException', 400, { queryCode: 'ValidationError', outsideModel: 'a common error of every AWS API' }),
  unknownOperation: kind('UnknownOperationException', 400, { outsideModel: 'what JSON services answer an unknown X-Amz-Target with' }),
  unknownRoute: kind('UnknownOperationException', 404, { outsideModel: 'what REST services answer a path no operation has' }),
  serialization: kind('SerializationException', 400, { outsideModel: 'what JSON services answer a body that is not JSON with' }),
  invalidAction: kind('InvalidAction', 400, { outsideModel: 'a common error of query APIs' }),
  missingAction: kind('MissingAction', 400, { outsideModel: 'a common error of query APIs' }),
  malformedQueryString: kind('MalformedQueryString', 400, { outsideModel: 'a common error of query APIs' }),
  notImplemented: kind('NotImplemented', 501, { outsideModel: "Selfless's own: an operation of the model it does not serve yet" }),
  internalFailure: kind('InternalFailure', 500, { outsideModel: 'a common error of every AWS API' }),
  unavailable: kind('ServiceUnavailable', 503, { outsideModel: 'a common error of every AWS API' }),
};

export const ProtocolErrors = {
  validation: entry(common.validation, text),
  unknownOperation: entry(common.unknownOperation, (target: string) => `Unknown operation ${target}`),
  unknownRoute: entry(common.unknownRoute, () => 'The requested operation is not recognized by the service.'),
  serialization: entry(common.serialization, text),
  invalidAction: entry(common.invalidAction, (action: string) => `The action ${action} is not valid for this web service.`),
  missingAction: entry(common.missingAction, () => 'The request must contain the parameter Action.'),
  malformedQueryString: entry(common.malformedQueryString, text),
  notImplemented: entry(common.notImplemented, (operation: string) => `Selfless does not implement ${operation} yet.`),
  internalFailure: entry(common.internalFailure, () => 'An internal error occurred.'),
  serviceUnavailable: entry(common.unavailable, () => 'The server is shutting down.'),
} as const;

const logs = {
  notFound: kind('ResourceNotFoundException', 400),
  invalidParameter: kind('InvalidParameterException', 400),
};

/** CloudWatch Logs' errors (JSON): a missing resource is a 400 there. */
export const LogsErrors = {
  resourceNotFound: entry(logs.notFound, text),
  invalidParameter: entry(logs.invalidParameter, text),
} as const;

const sqs = {
  queueDoesNotExist: kind('QueueDoesNotExist', 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' }),
  queueNameExists: kind('QueueNameExists', 400, { queryCode: 'QueueAlreadyExists' }),
  invalidParameterValue: kind('InvalidParameterValueException', 400, {
    queryCode: 'InvalidParameterValue',
    outsideModel: 'a common error of query APIs, which SQS still sends',
  }),
  missingParameter: kind('MissingParameter', 400, { outsideModel: 'a common error of query APIs, which SQS still sends' }),
  invalidAttributeName: kind('InvalidAttributeName', 400),
  invalidAttributeValue: kind('InvalidAttributeValue', 400),
  invalidMessageContents: kind('InvalidMessageContents', 400),
  receiptHandleIsInvalid: kind('ReceiptHandleIsInvalid', 404),
  messageNotInflight: kind('MessageNotInflight', 400, { queryCode: 'AWS.SimpleQueueService.MessageNotInflight' }),
  emptyBatch: kind('EmptyBatchRequest', 400, { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest' }),
  tooManyEntries: kind('TooManyEntriesInBatchRequest', 400, { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' }),
  batchIdsNotDistinct: kind('BatchEntryIdsNotDistinct', 400, { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct' }),
  invalidBatchEntryId: kind('InvalidBatchEntryId', 400, { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' }),
  batchRequestTooLong: kind('BatchRequestTooLong', 400, { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong' }),
  purgeInProgress: kind('PurgeQueueInProgress', 403, { queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress' }),
  resourceNotFound: kind('ResourceNotFoundException', 404),
  unsupportedOperation: kind('UnsupportedOperation', 400, { queryCode: 'AWS.SimpleQueueService.UnsupportedOperation' }),
};

/** SQS's errors: JSON clients match the shape's name, query clients (and JSON ones, by header) the legacy code. */
export const SqsErrors = {
  queueDoesNotExist: entry(sqs.queueDoesNotExist, () => 'The specified queue does not exist.'),
  queueNameExists: entry(sqs.queueNameExists, (name: string) => `A queue already exists with the same name and a different value for attribute(s) ${name}`),
  invalidParameterValue: entry(sqs.invalidParameterValue, text),
  missingParameter: entry(sqs.missingParameter, text),
  invalidAttributeName: entry(sqs.invalidAttributeName, (name: string) => `Unknown Attribute ${name}.`),
  invalidAttributeValue: entry(sqs.invalidAttributeValue, text),
  invalidMessageContents: entry(sqs.invalidMessageContents, text),
  receiptHandleIsInvalid: entry(sqs.receiptHandleIsInvalid, (handle: string) => `The input receipt handle "${handle}" is not a valid receipt handle.`),
  messageNotInflight: entry(sqs.messageNotInflight, () => 'The message referred to is not in flight.'),
  emptyBatch: entry(sqs.emptyBatch, (what: string) => `There should be at least one ${what} in the request.`),
  tooManyEntries: entry(sqs.tooManyEntries, (n: number) => `Maximum number of entries per request are 10. You have sent ${n}.`),
  batchIdsNotDistinct: entry(sqs.batchIdsNotDistinct, (id: string) => `Id ${id} repeated.`),
  invalidBatchEntryId: entry(
    sqs.invalidBatchEntryId,
    () => 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  ),
  batchRequestTooLong: entry(sqs.batchRequestTooLong, (limit: number, sent: number) => `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`),
  purgeInProgress: entry(sqs.purgeInProgress, (name: string) => `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`),
  resourceNotFound: entry(sqs.resourceNotFound, text),
  unsupportedOperation: entry(sqs.unsupportedOperation, text),
} as const;

const sts = {
  malformedPolicy: kind('MalformedPolicyDocumentException', 400, { queryCode: 'MalformedPolicyDocument' }),
};

/** STS's errors (query). */
export const StsErrors = {
  malformedPolicyDocument: entry(sts.malformedPolicy, text),
} as const;

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
export const CATALOGS = { lambda: Errors, logs: LogsErrors, sqs: SqsErrors, sts: StsErrors, protocol: ProtocolErrors } as const;

const named = (name: string) => (err: unknown): err is AwsError => err instanceof AwsError && err.kind.name === name;

/** Whatever the service: the thing named does not exist. */
export const isResourceNotFound = named('ResourceNotFoundException');
/** A concurrency or rate limit refused the call; it may succeed later. */
export const isThrottled = named('TooManyRequestsException');
