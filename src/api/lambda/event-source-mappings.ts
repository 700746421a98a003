/** Create/Get/List/Update/DeleteEventSourceMapping. */
import type { EventSourceMappingService, MappingChanges, MappingView } from '../../event-sources/mapping-service.js';
import type { MappingSettings } from '../../event-sources/model.js';
import { functionArn, parseFunctionRef, type Account } from '../../wire/arn.js';
import { Errors } from '../../wire/errors.js';
import {
  renderEventSourceMapping,
  type CreateEventSourceMappingWire,
  type ListEventSourceMappingsWire,
  type UpdateEventSourceMappingWire,
} from '../../wire/lambda-shapes.js';
import type { OperationHandler } from '../service.js';

/** Members for stream and broker sources, which an SQS mapping refuses as Lambda does. */
const NOT_FOR_SQS = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'ParallelizationFactor',
  'BisectBatchOnFunctionError',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'TumblingWindowInSeconds',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'DestinationConfig',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
];

export function eventSourceMappingHandlers(mappings: EventSourceMappingService, account: Account): Record<string, OperationHandler> {
  const render = ({ mapping: m, lastProcessingResult }: MappingView) =>
    renderEventSourceMapping({
      uuid: m.uuid,
      mappingArn: `arn:aws:lambda:${account.region}:${account.accountId}:event-source-mapping:${m.uuid}`,
      functionArn: functionArn(account, m.functionName, m.qualifier),
      eventSourceArn: m.eventSourceArn,
      state: m.state,
      stateTransitionReason: m.stateTransitionReason,
      lastModified: m.lastModified,
      lastProcessingResult,
      batchSize: m.batchSize,
      maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
      functionResponseTypes: m.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
      ...(m.maximumConcurrency !== undefined ? { maximumConcurrency: m.maximumConcurrency } : {}),
      filters: m.filters,
    });

  return {
    async CreateEventSourceMapping(input) {
      const i = input as unknown as CreateEventSourceMappingWire;
      const fn = parseFunctionRef(account, i.FunctionName);
      if (i.EventSourceArn === undefined) throw Errors.invalidParameter('Unrecognized event source, must be an SQS queue ARN.');
      return render(await mappings.create({ function: fn, eventSourceArn: i.EventSourceArn, ...settingsOf(i) }));
    },

    async GetEventSourceMapping(input) {
      return render(mappings.get((input as { UUID: string }).UUID));
    },

    async ListEventSourceMappings(input) {
      const i = input as unknown as ListEventSourceMappingsWire;
      const page = mappings.list(
        {
          ...(i.FunctionName !== undefined ? { function: parseFunctionRef(account, i.FunctionName) } : {}),
          ...(i.EventSourceArn !== undefined ? { eventSourceArn: i.EventSourceArn } : {}),
        },
        i.Marker,
        Math.min(i.MaxItems ?? 100, 100),
      );
      return { EventSourceMappings: page.items.map(render), NextMarker: page.nextMarker };
    },

    async UpdateEventSourceMapping(input) {
      const i = input as unknown as UpdateEventSourceMappingWire;
      const changes: MappingChanges = settingsOf(i);
      if (i.FunctionName !== undefined) changes.function = parseFunctionRef(account, i.FunctionName);
      return render(await mappings.update(i.UUID, changes));
    },

    async DeleteEventSourceMapping(input) {
      return render(await mappings.delete((input as { UUID: string }).UUID));
    },
  };
}

/** The settings a request sets; an empty FilterCriteria, list or ScalingConfig clears one. */
function settingsOf(i: Omit<CreateEventSourceMappingWire, 'FunctionName'>): Partial<MappingSettings> {
  for (const name of NOT_FOR_SQS) {
    if ((i as Record<string, unknown>)[name] !== undefined) throw Errors.invalidParameter(`Unsupported ${name} parameter for given event source mapping type.`);
  }
  const s: Partial<MappingSettings> = {};
  if (i.Enabled !== undefined) s.enabled = i.Enabled;
  if (i.BatchSize !== undefined) s.batchSize = i.BatchSize;
  if (i.MaximumBatchingWindowInSeconds !== undefined) s.maximumBatchingWindowInSeconds = i.MaximumBatchingWindowInSeconds;
  if (i.FunctionResponseTypes !== undefined) s.reportBatchItemFailures = i.FunctionResponseTypes.includes('ReportBatchItemFailures');
  if (i.FilterCriteria !== undefined) {
    s.filters = (i.FilterCriteria.Filters ?? []).map((f) => {
      if (f.Pattern === undefined) throw Errors.invalidParameter('Invalid filter pattern definition: a filter has no Pattern.');
      return f.Pattern;
    });
  }
  if (i.ScalingConfig !== undefined) {
    s.maximumConcurrency = i.ScalingConfig.MaximumConcurrency;
  }
  return s;
}
