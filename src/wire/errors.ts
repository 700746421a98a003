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
  recursive: kind('RecursiveInvocationException', 400),
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
  adminLoopbackOnly: entry(
    kind('AccessDeniedException', 403, { outsideModel: "Selfless's own: its admin routes answer only on loopback when signatures are verified" }),
    () => "Selfless's own routes (/_selfless/...) answer only on this machine when --credentials is set.",
  ),
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

// S3 (rest-xml) errors: the block below is S3's alone.
const S3_REST = "one of S3's REST error codes, which its model does not list";
const s3Outside = (name: string, status: number) => kind(name, status, { outsideModel: S3_REST });

/** S3's errors (rest-xml): the codes and messages S3 answers with; extra fields become elements of `<Error>`. */
export const S3Errors = {
  noSuchBucket: entry(kind('NoSuchBucket', 404), (_bucket: string) => 'The specified bucket does not exist', (bucket: string) => ({ fields: { BucketName: bucket } })),
  noSuchKey: entry(kind('NoSuchKey', 404), (_key: string) => 'The specified key does not exist.', (key: string) => ({ fields: { Key: key } })),
  noSuchUpload: entry(
    kind('NoSuchUpload', 404),
    (_uploadId: string) => 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', (uploadId: string) => ({ fields: { UploadId: uploadId } }),
  ),
  bucketAlreadyOwnedByYou: entry(
    kind('BucketAlreadyOwnedByYou', 409),
    (_bucket: string) => 'Your previous request to create the named bucket succeeded and you already own it.', (bucket: string) => ({ fields: { BucketName: bucket } }),
  ),
  invalidRequest: entry(kind('InvalidRequest', 400), text),
  bucketNotEmpty: entry(s3Outside('BucketNotEmpty', 409), (_bucket: string) => 'The bucket you tried to delete is not empty', (bucket: string) => ({ fields: { BucketName: bucket } })),
  invalidBucketName: entry(s3Outside('InvalidBucketName', 400), (_bucket: string) => 'The specified bucket is not valid.', (bucket: string) => ({ fields: { BucketName: bucket } })),
  keyTooLong: entry(s3Outside('KeyTooLongError', 400), (_size: number) => 'Your key is too long', (size: number) => ({ fields: { MaxSizeAllowed: '1024', Size: String(size) } })),
  malformedXml: entry(
    s3Outside('MalformedXML', 400),
    (_reason: string) => 'The XML you provided was not well-formed or did not validate against our published schema',
  ),
  invalidArgument: entry(s3Outside('InvalidArgument', 400), text),
  invalidUri: entry(s3Outside('InvalidURI', 400), () => "Couldn't parse the specified URI."),
  preconditionFailed: entry(
    s3Outside('PreconditionFailed', 412),
    (_condition: string) => 'At least one of the pre-conditions you specified did not hold', (condition: string) => ({ fields: { Condition: condition } }),
  ),
  notModified: entry(s3Outside('NotModified', 304), () => 'Not Modified'),
  invalidRange: entry(
    s3Outside('InvalidRange', 416),
    (_size: number) => 'The requested range is not satisfiable', (size: number) => ({ fields: { ActualObjectSize: String(size) }, headers: { 'Content-Range': `bytes */${size}` } }),
  ),
  entityTooSmall: entry(s3Outside('EntityTooSmall', 400), () => 'Your proposed upload is smaller than the minimum allowed object size.'),
  invalidPart: entry(
    s3Outside('InvalidPart', 400),
    () => 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
  ),
  invalidPartOrder: entry(s3Outside('InvalidPartOrder', 400), () => 'The list of parts was not in ascending order. Parts must be ordered by part number.'),
  badDigest: entry(s3Outside('BadDigest', 400), (what: string) => `The ${what} you specified did not match the calculated checksum.`),
  invalidDigest: entry(s3Outside('InvalidDigest', 400), () => 'The Content-MD5 you specified was invalid.'),
  incompleteBody: entry(s3Outside('IncompleteBody', 400), () => 'You did not provide the number of bytes specified by the Content-Length HTTP header'),
  noSuchTagSet: entry(s3Outside('NoSuchTagSet', 404), () => 'The TagSet does not exist'),
  noSuchCors: entry(s3Outside('NoSuchCORSConfiguration', 404), () => 'The CORS configuration does not exist'),
  noSuchBucketPolicy: entry(s3Outside('NoSuchBucketPolicy', 404), () => 'The bucket policy does not exist'),
  invalidTag: entry(s3Outside('InvalidTag', 400), text),
  noSuchLifecycle: entry(s3Outside('NoSuchLifecycleConfiguration', 404), () => 'The lifecycle configuration does not exist'),
  malformedPolicy: entry(s3Outside('MalformedPolicy', 400), text),
  internalError: entry(s3Outside('InternalError', 500), () => 'We encountered an internal error. Please try again.'),
} as const;

// --- Secrets: Secrets Manager, SSM Parameter Store and KMS (json 1.1) ---

const secretsManager = {
  notFound: kind('ResourceNotFoundException', 400),
  exists: kind('ResourceExistsException', 400),
  invalidRequest: kind('InvalidRequestException', 400),
};

/** Secrets Manager's errors. */
export const SecretsManagerErrors = {
  secretNotFound: entry(secretsManager.notFound, () => "Secrets Manager can't find the specified secret."),
  versionNotFound: entry(
    secretsManager.notFound,
    (by: 'VersionId' | 'staging label', value: string) => `Secrets Manager can't find the specified secret value for ${by}: ${value}`,
  ),
  secretExists: entry(secretsManager.exists, (name: string) => `The operation failed because the secret ${name} already exists.`),
  versionExists: entry(secretsManager.exists, () => "You can't modify an existing version, you can only create a new version."),
  invalidRequest: entry(secretsManager.invalidRequest, text),
  markedForDeletion: entry(secretsManager.invalidRequest, () => "You can't perform this operation on the secret because it was marked for deletion."),
  invalidParameter: entry(kind('InvalidParameterException', 400), text),
  invalidNextToken: entry(kind('InvalidNextTokenException', 400), () => 'The NextToken value is invalid.'),
  encryptionFailure: entry(kind('EncryptionFailure', 400), text),
  decryptionFailure: entry(kind('DecryptionFailure', 400), text),
} as const;

/** SSM Parameter Store's errors. */
export const SsmErrors = {
  parameterNotFound: entry(kind('ParameterNotFound', 400), (name: string) => `Parameter ${name} not found.`),
  parameterExists: entry(
    kind('ParameterAlreadyExists', 400),
    () => 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
  ),
  versionNotFound: entry(
    kind('ParameterVersionNotFound', 400),
    (name: string, version: string) => `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
  ),
  labelLimitExceeded: entry(
    kind('ParameterVersionLabelLimitExceeded', 400),
    () => 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
  ),
  maxVersionLimitExceeded: entry(kind('ParameterMaxVersionLimitExceeded', 400), text),
  invalidKeyId: entry(kind('InvalidKeyId', 400), text),
  invalidFilterKey: entry(kind('InvalidFilterKey', 400), text),
  invalidFilterOption: entry(kind('InvalidFilterOption', 400), text),
  invalidFilterValue: entry(kind('InvalidFilterValue', 400), text),
  invalidNextToken: entry(kind('InvalidNextToken', 400), () => 'The specified token is not valid.'),
  validation: entry(kind('ValidationException', 400), text),
  hierarchyLevelLimitExceeded: entry(
    kind('HierarchyLevelLimitExceededException', 400),
    () => 'A hierarchy can have a maximum of 15 levels.',
  ),
  patternMismatch: entry(
    kind('ParameterPatternMismatchException', 400),
    (pattern: string) => `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
  ),
  invalidAllowedPattern: entry(kind('InvalidAllowedPatternException', 400), text),
} as const;

/** KMS's errors. */
export const KmsErrors = {
  notFound: entry(kind('NotFoundException', 400), text),
  disabled: entry(kind('DisabledException', 400), (arn: string) => `${arn} is disabled.`),
  invalidState: entry(kind('KMSInvalidStateException', 400), text),
  aliasExists: entry(kind('AlreadyExistsException', 400), (aliasArn: string) => `An alias with the name ${aliasArn} already exists`),
  invalidAliasName: entry(kind('InvalidAliasNameException', 400), text),
  invalidCiphertext: entry(kind('InvalidCiphertextException', 400), () => ''),
  incorrectKey: entry(
    kind('IncorrectKeyException', 400),
    () => 'The key ID in the request does not identify a CMK that can perform this operation.',
  ),
  invalidMarker: entry(kind('InvalidMarkerException', 400), () => 'The marker is not valid.'),
  unsupportedOperation: entry(kind('UnsupportedOperationException', 400), text),
} as const;
// --- end of secrets ---

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
/** CloudWatch's errors (JSON and query). */
export const CloudWatchErrors = {
  invalidParameterValue: entry(kind('InvalidParameterValueException', 400, { queryCode: 'InvalidParameterValue' }), text),
  invalidParameterCombination: entry(kind('InvalidParameterCombinationException', 400, { queryCode: 'InvalidParameterCombination' }), text),
  missingParameter: entry(kind('MissingRequiredParameterException', 400, { queryCode: 'MissingParameter' }), text),
  resourceNotFound: entry(kind('ResourceNotFound', 404), text),
  invalidFormat: entry(kind('InvalidFormatFault', 400, { queryCode: 'InvalidFormat' }), text),
} as const;

/** Why a request's signature was refused; each protocol answers each with its own error. */
export type SignatureProblem = 'missing' | 'incomplete' | 'unknownKey' | 'expiredToken' | 'expired' | 'mismatch';

const SIGNING = "a common error of every AWS API: the request's SigV4 signature";
const signing = (name: string, status: number, queryCode = name) => kind(name, status, { queryCode, outsideModel: SIGNING });

// Query services and S3 answer a wrong signature alike.
const signatureDoesNotMatch = signing('SignatureDoesNotMatch', 403);

/** What each protocol answers a refused signature with: JSON services 400s (with query codes for query-compatible ones), Lambda and query services 403s. */
const signatureKinds = {
  json: {
    missing: signing('MissingAuthenticationTokenException', 400, 'MissingAuthenticationToken'),
    incomplete: signing('IncompleteSignatureException', 400, 'IncompleteSignature'),
    unknownKey: signing('UnrecognizedClientException', 400, 'InvalidClientTokenId'),
    expiredToken: signing('ExpiredTokenException', 400, 'ExpiredToken'),
    invalid: signing('InvalidSignatureException', 400, 'SignatureDoesNotMatch'),
  },
  'rest-json': {
    missing: signing('MissingAuthenticationTokenException', 403),
    incomplete: signing('IncompleteSignatureException', 403),
    unknownKey: signing('UnrecognizedClientException', 403),
    expiredToken: signing('ExpiredTokenException', 403),
    invalid: signing('InvalidSignatureException', 403),
  },
  query: {
    missing: signing('MissingAuthenticationToken', 403),
    incomplete: signing('IncompleteSignature', 400),
    unknownKey: signing('InvalidClientTokenId', 403),
    expiredToken: signing('ExpiredToken', 403),
    invalid: signatureDoesNotMatch,
  },
  'rest-xml': {
    missing: signing('AccessDenied', 403),
    incomplete: signing('AuthorizationHeaderMalformed', 400),
    unknownKey: signing('InvalidAccessKeyId', 403),
    expiredToken: signing('ExpiredToken', 400),
    invalid: signatureDoesNotMatch,
    skewed: signing('RequestTimeTooSkewed', 403),
  },
} as const;

type SignatureProtocol = keyof typeof signatureKinds;

/** Every refusal of every protocol, flat, so that the catalog test sees each kind. */
export const SignatureErrors = Object.fromEntries(
  Object.entries(signatureKinds).flatMap(([protocol, kinds]) =>
    Object.entries(kinds).map(([problem, k]) => [`${protocol}.${problem}`, entry(k as ErrorKind, text)]),
  ),
) as Readonly<Record<string, ErrorEntry<[string]>>>;

/**
 * The error a protocol answers a refused signature with. The message comes from the verifier (it
 * names the dates of an expired signature); a skewed clock is a wrong signature except in S3.
 */
export function signatureError(protocol: string, problem: SignatureProblem, message: string): AwsError {
  const p: SignatureProtocol = protocol in signatureKinds ? (protocol as SignatureProtocol) : 'json';
  const key = problem === 'expired' ? (p === 'rest-xml' ? 'skewed' : 'invalid') : problem === 'mismatch' ? 'invalid' : problem;
  return SignatureErrors[`${p}.${key}`]!(message);
}

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
/** DynamoDB's errors (JSON 1.0): every client error is a 400 there, a missing table included. */
const ddbValidation = ProtocolErrors.validation;
export const DynamoDbErrors = {
  validation: ddbValidation,
  /** A parameter problem, in DynamoDB's words: "One or more parameter values were invalid: ...". */
  invalidParameter: entry(ddbValidation.kind, (detail: string) => `One or more parameter values were invalid: ${detail}`),
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), (what?: string) => (what ? `Requested resource not found: ${what}` : 'Requested resource not found')),
  resourceInUse: entry(kind('ResourceInUseException', 400), text),
  conditionalCheckFailed: entry(
    kind('ConditionalCheckFailedException', 400),
    (_item?: unknown) => 'The conditional request failed',
    // JSON renders the members as they are; no query client speaks DynamoDB.
    (item?: unknown) => (item === undefined ? {} : { fields: { Item: item } as unknown as Record<string, string> }),
  ),
  transactionCanceled: entry(
    kind('TransactionCanceledException', 400),
    (reasons: readonly { Code: string }[]) =>
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    (reasons: readonly { Code: string }[]) => ({ fields: { CancellationReasons: reasons } as unknown as Record<string, string> }),
  ),
  idempotentParameterMismatch: entry(kind('IdempotentParameterMismatchException', 400), () => 'Request token has already been used with different parameters'),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
} as const;

/** DynamoDB Streams' errors (JSON 1.0). */
export const DynamoDbStreamsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  expiredIterator: entry(kind('ExpiredIteratorException', 400), () => 'Iterator expired. The iterator was created over 15 minutes ago.'),
  trimmedDataAccess: entry(kind('TrimmedDataAccessException', 400), text),
} as const;

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
/** SNS's errors (query): each kind's query code is the model's `awsQueryError`. */
const snsKind = (name: string, status: number, queryCode: string) => kind(name, status, { queryCode });
const snsInvalidParameter = snsKind('InvalidParameterException', 400, 'InvalidParameter');
export const SnsErrors = {
  notFound: entry(snsKind('NotFoundException', 404, 'NotFound'), text),
  invalidParameter: entry(snsInvalidParameter, (message: string) => `Invalid parameter: ${message}`),
  invalidParameterValue: entry(snsKind('InvalidParameterValueException', 400, 'ParameterValueInvalid'), text),
  resourceNotFound: entry(snsKind('ResourceNotFoundException', 404, 'ResourceNotFound'), () => 'Resource does not exist'),
  emptyBatch: entry(snsKind('EmptyBatchRequestException', 400, 'EmptyBatchRequest'), () => 'The batch request doesn\'t contain any entries.'),
  tooManyEntries: entry(
    snsKind('TooManyEntriesInBatchRequestException', 400, 'TooManyEntriesInBatchRequest'),
    () => 'The batch request contains more entries than permissible.',
  ),
  batchIdsNotDistinct: entry(snsKind('BatchEntryIdsNotDistinctException', 400, 'BatchEntryIdsNotDistinct'), () => 'Two or more batch entries in the request have the same Id.'),
  invalidBatchEntryId: entry(snsKind('InvalidBatchEntryIdException', 400, 'InvalidBatchEntryId'), () => 'The Id of a batch entry in a batch request doesn\'t abide by the specification.'),
  batchRequestTooLong: entry(snsKind('BatchRequestTooLongException', 400, 'BatchRequestTooLong'), () => 'The length of all the messages put together is more than the limit.'),
} as const;

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
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
export const CATALOGS = {
  lambda: Errors,
  logs: LogsErrors,
  sqs: SqsErrors,
  sts: StsErrors,
  s3: S3Errors,
  secretsmanager: SecretsManagerErrors,
  ssm: SsmErrors,
  kms: KmsErrors,
  cloudwatch: CloudWatchErrors,
  dynamodb: DynamoDbErrors,
  dynamodbstreams: DynamoDbStreamsErrors,
  sns: SnsErrors,
  events: EventsErrors,
  scheduler: SchedulerErrors,
  protocol: ProtocolErrors,
  signature: SignatureErrors,
} as const;

const named = (name: string) => (err: unknown): err is AwsError => err instanceof AwsError && err.kind.name === name;

/** Whatever the service: the thing named does not exist. */
export const isResourceNotFound = named('ResourceNotFoundException');
/** A concurrency or rate limit refused the call; it may succeed later. */
export const isThrottled = named('TooManyRequestsException');
export const isRecursiveInvocation = named('RecursiveInvocationException');
