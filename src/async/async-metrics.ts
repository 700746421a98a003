/**
 * What asynchronous invocation reports, per function, as Lambda's async metrics (AsyncEventsReceived,
 * AsyncEventAge, AsyncEventsDropped, DestinationDeliveryFailures, DeadLetterErrors). The async code
 * only sees this interface; telemetry implements it.
 */
export interface AsyncMetrics {
  /** An event was queued (an Event invoke accepted, or a failed event replayed). */
  received(functionName: string): void;
  /** An event ran (throttled tries excluded), `ageMs` after it was queued. */
  attempted(functionName: string, ageMs: number): void;
  /** An event ended failed or expired: retries exhausted or maximum age exceeded. */
  dropped(functionName: string): void;
  /** An OnSuccess or OnFailure record could not be delivered. */
  destinationFailed(functionName: string): void;
  /** A dead-letter message could not be sent. */
  deadLetterFailed(functionName: string): void;
}
