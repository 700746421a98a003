import { kind, entry, text } from './core.js';

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
