/**
 * Errors of the SAM transform. Users see samtranslator's own wording: one document error that counts
 * its causes, each cause naming the resource ("Resource with id [X] is invalid. ...").
 */

/** What `expandServerless` throws for a template SAM refuses. */
export class SamTransformError extends Error {
  override readonly name = 'SamTransformError';
  constructor(readonly causes: readonly string[]) {
    super(
      `Invalid Serverless Application Specification document. Number of errors found: ${causes.length}. ${causes.join(' ')}`,
    );
  }
}

/** One cause, raised inside the transform and gathered into a SamTransformError. */
export class SamCause extends Error {}

/** "Resource with id [X] is invalid. ..." */
export function invalidResource(logicalId: string, message: string): SamCause {
  return new SamCause(`Resource with id [${logicalId}] is invalid. ${message}`);
}

/** "Event with id [X] is invalid. ..." (an event of a function; wrapped into a resource error by the caller). */
export function invalidEvent(eventId: string, message: string): SamCause {
  return new SamCause(`Event with id [${eventId}] is invalid. ${message}`);
}

/** "Structure of the SAM template is invalid. ..." */
export function invalidTemplate(message: string): SamCause {
  return new SamCause(`Structure of the SAM template is invalid. ${message}`);
}
