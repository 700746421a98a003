/** Selfless's alarm routes (not an AWS API): define alarms on function metrics, read their state and history. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AlarmService } from '../alarms/alarm-service.js';
import { ALARM_NAME, COMPARISONS, METRICS, MISSING_DATA, STATISTICS, type AlarmDefinition, type AlarmHistoryItem, type AlarmRecord } from '../alarms/model.js';
import { Errors } from '../wire/errors.js';
import { sendAdminError } from './admin-errors.js';

const Actions = z.array(z.string().min(1).max(1024)).max(5).optional();

const PutSchema = z
  .strictObject({
    AlarmDescription: z.string().max(1024).optional(),
    Metric: z.enum(METRICS),
    FunctionName: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, 'must be a function name'),
    Version: z.string().regex(/^(\$LATEST|\d+)$/, 'must be $LATEST or a version number').optional(),
    Alias: z.string().regex(/^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/, 'must be an alias name').optional(),
    Statistic: z.enum(STATISTICS),
    PeriodSeconds: z.number().int().min(60).max(86_400).multipleOf(60, 'must be a multiple of 60'),
    EvaluationPeriods: z.number().int().min(1).max(100),
    DatapointsToAlarm: z.number().int().min(1).optional(),
    Threshold: z.number(),
    ComparisonOperator: z.enum(COMPARISONS),
    TreatMissingData: z.enum(MISSING_DATA).optional(),
    AlarmActions: Actions,
    OKActions: Actions,
    InsufficientDataActions: Actions,
  })
  .refine((b) => b.Version === undefined || b.Alias === undefined, { message: 'give Version or Alias, not both', path: ['Alias'] })
  .refine((b) => (b.DatapointsToAlarm ?? b.EvaluationPeriods) <= b.EvaluationPeriods, {
    message: 'must not be greater than EvaluationPeriods',
    path: ['DatapointsToAlarm'],
  });

const iso = (ms: number) => new Date(ms).toISOString();

const renderAlarm = (r: AlarmRecord) => {
  const a = r.definition;
  return {
    AlarmName: a.name,
    AlarmDescription: a.description,
    Metric: a.metric,
    FunctionName: a.functionName,
    Version: a.dimension.kind === 'version' ? a.dimension.value : undefined,
    Alias: a.dimension.kind === 'alias' ? a.dimension.value : undefined,
    Statistic: a.statistic,
    PeriodSeconds: a.periodSeconds,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
    AlarmActions: a.alarmActions,
    OKActions: a.okActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: r.state,
    StateReason: r.stateReason,
    StateUpdatedTimestamp: iso(r.stateUpdatedAt),
    AlarmConfigurationUpdatedTimestamp: iso(r.configurationUpdatedAt),
  };
};

const renderHistory = (h: AlarmHistoryItem) => ({
  AlarmName: h.alarmName,
  Timestamp: iso(h.timestamp),
  HistoryItemType: 'StateUpdate',
  HistorySummary: `Alarm updated from ${h.oldState} to ${h.newState}`,
  OldStateValue: h.oldState,
  NewStateValue: h.newState,
  Reason: h.reason,
});

function parseBody(name: string, raw: unknown): AlarmDefinition {
  if (!ALARM_NAME.test(name)) throw Errors.invalidParameter('AlarmName: must be 1 to 255 letters, digits, dots, hyphens or underscores.');
  const text = raw && Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  const body = PutSchema.safeParse(text ? JSON.parse(text) : {});
  if (!body.success) throw Errors.invalidParameter(body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  const b = body.data;
  return {
    name,
    ...(b.AlarmDescription !== undefined ? { description: b.AlarmDescription } : {}),
    metric: b.Metric,
    functionName: b.FunctionName,
    dimension: b.Version !== undefined ? { kind: 'version', value: b.Version } : b.Alias !== undefined ? { kind: 'alias', value: b.Alias } : { kind: 'function' },
    statistic: b.Statistic,
    periodSeconds: b.PeriodSeconds,
    evaluationPeriods: b.EvaluationPeriods,
    datapointsToAlarm: b.DatapointsToAlarm ?? b.EvaluationPeriods,
    threshold: b.Threshold,
    comparisonOperator: b.ComparisonOperator,
    treatMissingData: b.TreatMissingData ?? 'missing',
    alarmActions: b.AlarmActions ?? [],
    okActions: b.OKActions ?? [],
    insufficientDataActions: b.InsufficientDataActions ?? [],
  };
}

export function alarmRoutes(alarms: AlarmService) {
  return (app: FastifyInstance): void => {
    app.put<{ Params: { name: string } }>('/_selfless/alarms/:name', async (req, reply) =>
      handle(reply, async () => renderAlarm(await alarms.put(parseBody(req.params.name, req.body)))),
    );
    app.get('/_selfless/alarms', async (_req, reply) => handle(reply, async () => ({ MetricAlarms: (await alarms.list()).map(renderAlarm) })));
    app.get<{ Params: { name: string } }>('/_selfless/alarms/:name', async (req, reply) => handle(reply, async () => renderAlarm(await alarms.get(req.params.name))));
    app.delete<{ Params: { name: string } }>('/_selfless/alarms/:name', async (req, reply) =>
      handle(reply, async () => {
        await alarms.delete(req.params.name);
        reply.code(204);
        return undefined;
      }),
    );
    app.get<{ Params: { name: string } }>('/_selfless/alarms/:name/history', async (req, reply) =>
      handle(reply, async () => ({ AlarmHistoryItems: (await alarms.history(req.params.name)).map(renderHistory) })),
    );
  };
}

async function handle(reply: FastifyReply, fn: () => Promise<unknown>): Promise<unknown> {
  try {
    const out = await fn();
    return out === undefined ? reply.send() : out;
  } catch (err) {
    return sendAdminError(reply, err);
  }
}
