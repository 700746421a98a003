import { kind, entry, text } from './core.js';
import { ProtocolErrors } from './protocol.js';

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
  /** PartiQL's INSERT of an item whose key is taken. */
  duplicateItem: entry(kind('DuplicateItemException', 400), () => 'Duplicate primary key exists in table'),
} as const;

/** DynamoDB Streams' errors (JSON 1.0). */
export const DynamoDbStreamsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  expiredIterator: entry(kind('ExpiredIteratorException', 400), () => 'Iterator expired. The iterator was created over 15 minutes ago.'),
  trimmedDataAccess: entry(kind('TrimmedDataAccessException', 400), text),
} as const;

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
