import { kind, entry, text } from './core.js';

const ALREADY_EXISTS = kind('ResourceAlreadyExistsException', 400);

/** CloudWatch Logs' errors (JSON): a missing resource is a 400 there. */
export const LogsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  invalidParameter: entry(kind('InvalidParameterException', 400), text),
  resourceAlreadyExists: entry(ALREADY_EXISTS, () => 'The specified log group already exists'),
  streamAlreadyExists: entry(ALREADY_EXISTS, () => 'The specified log stream already exists'),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
  malformedQuery: entry(kind('MalformedQueryException', 400), text),
  operationAborted: entry(kind('OperationAbortedException', 400), text),
} as const;

/** SQS's query code for a kind: most carry the legacy `AWS.SimpleQueueService.` prefix. */
