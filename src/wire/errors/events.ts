import { kind, entry, text } from './core.js';

/** EventBridge's errors (JSON): its model gives no statuses, so they are the protocol's 400 and 500. */
export const EventsErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 400), text),
  resourceAlreadyExists: entry(kind('ResourceAlreadyExistsException', 400), text),
  invalidEventPattern: entry(kind('InvalidEventPatternException', 400), (reason: string) => `Event pattern is not valid. Reason: ${reason}`),
  concurrentModification: entry(kind('ConcurrentModificationException', 400), () => 'The rule was changed by another request at the same time; retry.'),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
  illegalStatus: entry(kind('IllegalStatusException', 400), text),
  policyLengthExceeded: entry(kind('PolicyLengthExceededException', 400), text),
} as const;

/** EventBridge Scheduler's errors (REST-JSON). */
export const SchedulerErrors = {
  resourceNotFound: entry(kind('ResourceNotFoundException', 404), text),
  conflict: entry(kind('ConflictException', 409), text),
  validation: entry(kind('ValidationException', 400), text),
} as const;
