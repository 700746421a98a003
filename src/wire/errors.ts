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

const COMMON = 'a common error of every AWS API';
const QUERY_COMMON = 'a common error of query APIs';

/** Errors of every service, whatever its protocol: what the request itself got wrong, or the server. */
export const ProtocolErrors = {
  validation: entry(kind('ValidationException', 400, { queryCode: 'ValidationError', outsideModel: COMMON }), text),
  unknownOperation: entry(
    kind('UnknownOperationException', 400, { outsideModel: 'what JSON services answer an unknown X-Amz-Target with' }),
    (target: string) => `Unknown operation ${target}`,
  ),
  unknownRoute: entry(
    kind('UnknownOperationException', 404, { outsideModel: 'what REST services answer a path no operation has' }),
    () => 'The requested operation is not recognized by the service.',
  ),
  serialization: entry(kind('SerializationException', 400, { outsideModel: 'what JSON services answer a body that is not JSON with' }), text),
  invalidAction: entry(
    kind('InvalidAction', 400, { outsideModel: QUERY_COMMON }),
    (action: string) => `The action ${action} is not valid for this web service.`,
  ),
  missingAction: entry(kind('MissingAction', 400, { outsideModel: QUERY_COMMON }), () => 'The request must contain the parameter Action.'),
  malformedQueryString: entry(kind('MalformedQueryString', 400, { outsideModel: QUERY_COMMON }), text),
  notImplemented: entry(
    kind('NotImplemented', 501, { outsideModel: "Selfless's own: an operation of the model it does not serve yet" }),
    (operation: string) => `Selfless does not implement ${operation} yet.`,
  ),
  internalFailure: entry(kind('InternalFailure', 500, { outsideModel: COMMON }), () => 'An internal error occurred.'),
  serviceUnavailable: entry(kind('ServiceUnavailable', 503, { outsideModel: COMMON }), () => 'The server is shutting down.'),
} as const;

/** CloudWatch Logs' errors (JSON): a missing resource is a 400 there. */
export const LogsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  invalidParameter: entry(kind('InvalidParameterException', 400), text),
} as const;

/** SQS's query code for a kind: most carry the legacy `AWS.SimpleQueueService.` prefix. */
const legacy = (name: string) => ({ queryCode: `AWS.SimpleQueueService.${name}` });
const SQS_COMMON = 'a common error of query APIs, which SQS still sends';

/** SQS's errors: JSON clients match the shape's name, query clients (and JSON ones, by header) the legacy code. */
export const SqsErrors = {
  queueDoesNotExist: entry(kind('QueueDoesNotExist', 400, legacy('NonExistentQueue')), () => 'The specified queue does not exist.'),
  queueNameExists: entry(
    kind('QueueNameExists', 400, { queryCode: 'QueueAlreadyExists' }),
    (name: string) => `A queue already exists with the same name and a different value for attribute(s) ${name}`,
  ),
  invalidParameterValue: entry(kind('InvalidParameterValueException', 400, { queryCode: 'InvalidParameterValue', outsideModel: SQS_COMMON }), text),
  missingParameter: entry(kind('MissingParameter', 400, { outsideModel: SQS_COMMON }), text),
  invalidAttributeName: entry(kind('InvalidAttributeName', 400), (name: string) => `Unknown Attribute ${name}.`),
  invalidAttributeValue: entry(kind('InvalidAttributeValue', 400), text),
  invalidMessageContents: entry(kind('InvalidMessageContents', 400), text),
  receiptHandleIsInvalid: entry(
    kind('ReceiptHandleIsInvalid', 404),
    (handle: string) => `The input receipt handle "${handle}" is not a valid receipt handle.`,
  ),
  messageNotInflight: entry(kind('MessageNotInflight', 400, legacy('MessageNotInflight')), () => 'The message referred to is not in flight.'),
  emptyBatch: entry(kind('EmptyBatchRequest', 400, legacy('EmptyBatchRequest')), (what: string) => `There should be at least one ${what} in the request.`),
  tooManyEntries: entry(
    kind('TooManyEntriesInBatchRequest', 400, legacy('TooManyEntriesInBatchRequest')),
    (n: number) => `Maximum number of entries per request are 10. You have sent ${n}.`,
  ),
  batchIdsNotDistinct: entry(kind('BatchEntryIdsNotDistinct', 400, legacy('BatchEntryIdsNotDistinct')), (id: string) => `Id ${id} repeated.`),
  invalidBatchEntryId: entry(
    kind('InvalidBatchEntryId', 400, legacy('InvalidBatchEntryId')),
    () => 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  ),
  batchRequestTooLong: entry(
    kind('BatchRequestTooLong', 400, legacy('BatchRequestTooLong')),
    (limit: number, sent: number) => `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
  ),
  purgeInProgress: entry(
    kind('PurgeQueueInProgress', 403, legacy('PurgeQueueInProgress')),
    (name: string) => `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
  ),
  resourceNotFound: entry(kind('ResourceNotFoundException', 404), text),
  unsupportedOperation: entry(kind('UnsupportedOperation', 400, legacy('UnsupportedOperation')), text),
} as const;

/** STS's errors (query). */
export const StsErrors = {
  malformedPolicyDocument: entry(kind('MalformedPolicyDocumentException', 400, { queryCode: 'MalformedPolicyDocument' }), text),
} as const;

/** EventBridge's errors (JSON): its model gives no statuses, so they are the protocol's 400 and 500. */
export const EventsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  resourceAlreadyExists: entry(kind('ResourceAlreadyExistsException', 400), text),
  invalidEventPattern: entry(kind('InvalidEventPatternException', 400), (reason: string) => `Event pattern is not valid. Reason: ${reason}`),
  concurrentModification: entry(kind('ConcurrentModificationException', 400), () => 'The rule was changed by another request at the same time; retry.'),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
} as const;

/** EventBridge Scheduler's errors (REST-JSON). */
export const SchedulerErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 404), text),
  conflict: entry(kind('ConflictException', 409), text),
  validation: entry(kind('ValidationException', 400), text),
} as const;

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
export const CATALOGS = { lambda: Errors, logs: LogsErrors, sqs: SqsErrors, sts: StsErrors, events: EventsErrors, scheduler: SchedulerErrors, protocol: ProtocolErrors } as const;

const named = (name: string) => (err: unknown): err is AwsError => err instanceof AwsError && err.kind.name === name;

/** Whatever the service: the thing named does not exist. */
export const isResourceNotFound = named('ResourceNotFoundException');
/** A concurrency or rate limit refused the call; it may succeed later. */
export const isThrottled = named('TooManyRequestsException');
