/** PutEvents and TestEventPattern: parse, call the ingest, render per-entry results. */
import { timestampMs } from '../../../wire/timestamp.js';
import type { EventSystem } from '../event-system.js';
import { eventBusNameOf } from '../../../wire/arn.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';


/** A wire timestamp (epoch seconds, or ISO 8601 text from some clients) in epoch ms. */
function timeOf(t: number | string | Date | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = timestampMs(t);
  if (!Number.isFinite(ms)) throw ProtocolErrors.validation('Time is not a valid timestamp.');
  return ms;
}

export function putEventsHandlers(events: EventSystem): Record<string, OperationHandler> {
  return typedHandlers<EventsInputs>({
    async PutEvents(i) {
      if (i.EndpointId !== undefined) throw ProtocolErrors.notImplemented('PutEvents through a global endpoint');
      const results = await events.ingest.put(
        i.Entries.map((e) => ({
          time: timeOf(e.Time),
          source: e.Source,
          detailType: e.DetailType,
          detail: e.Detail,
          resources: e.Resources,
          busName: e.EventBusName === undefined ? undefined : eventBusNameOf(e.EventBusName),
        })),
      );
      return {
        FailedEntryCount: results.filter((r) => !r.ok).length,
        Entries: results.map((r) => (r.ok ? { EventId: r.eventId } : { ErrorCode: r.errorCode, ErrorMessage: r.errorMessage })),
      };
    },

    async TestEventPattern(i) {
      return { Result: events.ingest.test(i.EventPattern, i.Event) };
    },
  });
}
