import { kind, entry, text } from './core.js';

/** CloudWatch Logs' errors (JSON): a missing resource is a 400 there. */
export const LogsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  invalidParameter: entry(kind('InvalidParameterException', 400), text),
  resourceAlreadyExists: entry(kind('ResourceAlreadyExistsException', 400), () => 'The specified log group already exists'),
} as const;

/** SQS's query code for a kind: most carry the legacy `AWS.SimpleQueueService.` prefix. */
