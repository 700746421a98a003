/** PutEvents and TestEventPattern: parse, call the ingest, render per-entry results. */
import type { EventSystem } from '../event-system.js';
import { eventBusNameOf } from '../../../wire/arn.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

interface EntryWire {
  Time?: number | string;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

/** A wire timestamp (epoch seconds, or ISO 8601 text from some clients) in epoch ms. */
function timeOf(t: number | string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = typeof t === 'number' ? t * 1000 : Date.parse(t);
  if (!Number.isFinite(ms)) throw ProtocolErrors.validation('Time is not a valid timestamp.');
  return ms;
}

export function putEventsHandlers(events: EventSystem): Record<string, OperationHandler> {
  return {
    async PutEvents(input) {
      const i = input as { Entries: EntryWire[]; EndpointId?: string };
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

    async TestEventPattern(input) {
      const i = input as { EventPattern: string; Event: string };
      return { Result: events.ingest.test(i.EventPattern, i.Event) };
    },
  };
}
