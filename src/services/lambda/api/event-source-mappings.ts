/** Create/Get/List/Update/DeleteEventSourceMapping. */
import type { EventSourceMappingService, MappingChanges, MappingView } from '../../../event-sources/mapping-service.js';
import type { StreamSettings } from '../../../event-sources/model.js';
import { functionArn, parseFunctionRef, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { renderEventSourceMapping } from '../../../wire/lambda-shapes.js';
import { timestampMs } from '../../../wire/timestamp.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { CreateEventSourceMappingRequest, LambdaInputs } from '../../../wire/inputs/lambda.js';

/** What Create and Update both may set. */
type MappingSettings = Partial<Omit<CreateEventSourceMappingRequest, 'FunctionName'>>;

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
      ...(m.stream !== undefined ? { stream: m.stream } : {}),
    });

  return typedHandlers<LambdaInputs>({
    async CreateEventSourceMapping(i) {
      const fn = parseFunctionRef(account, i.FunctionName);
      if (i.EventSourceArn === undefined) throw Errors.invalidParameter('Unrecognized event source, must be an SQS queue ARN.');
      return render(
        await mappings.create({ function: fn, eventSourceArn: i.EventSourceArn, ...settingsOf(i, mappings.refusedMembers(i.EventSourceArn)), ...(i.Tags ? { tags: i.Tags } : {}) }),
      );
    },

    async GetEventSourceMapping(input) {
      return render(mappings.get(input.UUID));
    },

    async ListEventSourceMappings(i) {
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

    async UpdateEventSourceMapping(i) {
      const changes: MappingChanges = settingsOf(i, mappings.refusedMembers(mappings.get(i.UUID).mapping.eventSourceArn));
      if (i.FunctionName !== undefined) changes.function = parseFunctionRef(account, i.FunctionName);
      return render(await mappings.update(i.UUID, changes));
    },

    async DeleteEventSourceMapping(input) {
      return render(await mappings.delete(input.UUID));
    },
  });
}

/** The settings a request sets; an empty FilterCriteria, list or ScalingConfig clears one. */
function settingsOf(i: MappingSettings, refused: readonly string[]): MappingChanges {
  for (const name of refused) {
    if ((i as Record<string, unknown>)[name] !== undefined) throw Errors.invalidParameter(`Unsupported ${name} parameter for given event source mapping type.`);
  }
  const s: MappingChanges = {};
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
  const stream = streamSettingsOf(i);
  if (Object.keys(stream).length > 0) s.stream = stream;
  return s;
}

/** Stream members (the kind has already refused them for a queue). */
function streamSettingsOf(i: MappingSettings): Partial<StreamSettings> {
  const st: Partial<StreamSettings> = {};
  if (i.StartingPosition !== undefined) st.startingPosition = i.StartingPosition as StreamSettings['startingPosition'];
  if (i.StartingPositionTimestamp !== undefined) {
    const ms = timestampMs(i.StartingPositionTimestamp);
    if (!Number.isFinite(ms)) throw Errors.invalidParameter('StartingPositionTimestamp is not a valid timestamp.');
    st.startingPositionTimestamp = ms;
  }
  if (i.ParallelizationFactor !== undefined) st.parallelizationFactor = i.ParallelizationFactor;
  if (i.BisectBatchOnFunctionError !== undefined) st.bisectBatchOnFunctionError = i.BisectBatchOnFunctionError;
  if (i.MaximumRetryAttempts !== undefined) st.maximumRetryAttempts = i.MaximumRetryAttempts;
  if (i.MaximumRecordAgeInSeconds !== undefined) st.maximumRecordAgeInSeconds = i.MaximumRecordAgeInSeconds;
  if (i.TumblingWindowInSeconds !== undefined) st.tumblingWindowInSeconds = i.TumblingWindowInSeconds;
  const onFailure = i.DestinationConfig?.OnFailure?.Destination;
  if (onFailure !== undefined) st.onFailure = onFailure;
  return st;
}
