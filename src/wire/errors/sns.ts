import { kind, entry, text } from './core.js';

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
