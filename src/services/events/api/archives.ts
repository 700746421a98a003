/** EventBridge archives and replays: parse, call the archive and replay services, render. */
import type { ArchiveRecord, ReplayRecord } from '../archive-model.js';
import type { EventSystem } from '../event-system.js';
import { eventArchiveArn, eventArchiveNameOf, eventBusArn, eventBusNameOf, eventReplayArn, type Account } from '../../../wire/arn.js';
import { timestampMs } from '../../../wire/timestamp.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';

const seconds = (ms: number) => ms / 1000;
const ms = (t: number | string | Date) => Math.round(timestampMs(t));



export function archiveHandlers(events: EventSystem, account: Account): Record<string, OperationHandler> {
  const archiveSummary = (a: ArchiveRecord, usage?: { eventCount: number; sizeBytes: number }): Input => ({
    ArchiveName: a.name,
    EventSourceArn: eventBusArn(account, a.busName),
    State: 'ENABLED',
    RetentionDays: a.retentionDays,
    CreationTime: seconds(a.createdAt),
    ...(usage ? { EventCount: usage.eventCount, SizeBytes: usage.sizeBytes } : {}),
  });
  const replaySummary = (r: ReplayRecord): Input => ({
    ReplayName: r.name,
    EventSourceArn: eventArchiveArn(account, r.archiveName),
    State: r.state,
    ...(r.stateReason !== undefined ? { StateReason: r.stateReason } : {}),
    EventStartTime: seconds(r.eventStartTime),
    EventEndTime: seconds(r.eventEndTime),
    ...(r.eventLastReplayedTime !== undefined ? { EventLastReplayedTime: seconds(r.eventLastReplayedTime) } : {}),
    ReplayStartTime: seconds(r.replayStartTime),
    ...(r.replayEndTime !== undefined ? { ReplayEndTime: seconds(r.replayEndTime) } : {}),
  });

  return typedHandlers<EventsInputs>({
    async CreateArchive(i) {
      const a = await events.archives.create({
        name: i.ArchiveName,
        busName: eventBusNameOf(i.EventSourceArn ?? ''),
        eventPattern: i.EventPattern,
        description: i.Description,
        retentionDays: i.RetentionDays,
      });
      return { ArchiveArn: eventArchiveArn(account, a.name), State: 'ENABLED', CreationTime: seconds(a.createdAt) };
    },

    async DescribeArchive(input) {
      const view = await events.archives.describe(input.ArchiveName);
      const a = view.archive;
      return {
        ArchiveArn: eventArchiveArn(account, a.name),
        ...archiveSummary(a, view),
        ...(a.description !== undefined ? { Description: a.description } : {}),
        ...(a.eventPattern !== undefined ? { EventPattern: a.eventPattern } : {}),
      };
    },

    async ListArchives(i) {
      const page = await events.archives.list(i.NamePrefix ?? '', i.EventSourceArn === undefined ? undefined : eventBusNameOf(i.EventSourceArn), i.Limit, i.NextToken);
      // Every archive is ENABLED here: a filter on another state lists none.
      const items = i.State === undefined || i.State === 'ENABLED' ? page.items : [];
      return { Archives: items.map((a) => archiveSummary(a)), NextToken: page.nextToken };
    },

    async UpdateArchive(i) {
      const a = await events.archives.update(i.ArchiveName, { eventPattern: i.EventPattern, description: i.Description, retentionDays: i.RetentionDays });
      return { ArchiveArn: eventArchiveArn(account, a.name), State: 'ENABLED', CreationTime: seconds(a.createdAt) };
    },

    async DeleteArchive(input) {
      await events.archives.delete(input.ArchiveName);
      return {};
    },

    async StartReplay(i) {
      const r = await events.replays.start({
        name: i.ReplayName,
        archiveName: eventArchiveNameOf(i.EventSourceArn),
        description: i.Description,
        destinationBus: eventBusNameOf(i.Destination.Arn),
        filterRuleArns: i.Destination.FilterArns ?? [],
        eventStartTime: ms(i.EventStartTime),
        eventEndTime: ms(i.EventEndTime),
      });
      return { ReplayArn: eventReplayArn(account, r.name), State: r.state, ReplayStartTime: seconds(r.replayStartTime) };
    },

    async DescribeReplay(input) {
      const r = await events.replays.get(input.ReplayName);
      return {
        ReplayArn: eventReplayArn(account, r.name),
        ...replaySummary(r),
        ...(r.description !== undefined ? { Description: r.description } : {}),
        Destination: { Arn: eventBusArn(account, r.destinationBus), ...(r.filterRuleArns.length > 0 ? { FilterArns: r.filterRuleArns } : {}) },
      };
    },

    async ListReplays(i) {
      const page = await events.replays.list(i.NamePrefix ?? '', i.Limit, i.NextToken);
      const archive = i.EventSourceArn === undefined ? undefined : eventArchiveNameOf(i.EventSourceArn);
      const items = page.items.filter((r) => (i.State === undefined || r.state === i.State) && (archive === undefined || r.archiveName === archive));
      return { Replays: items.map(replaySummary), NextToken: page.nextToken };
    },

    async CancelReplay(input) {
      const r = await events.replays.cancel(input.ReplayName);
      return { ReplayArn: eventReplayArn(account, r.name), State: r.state };
    },
  });
}
