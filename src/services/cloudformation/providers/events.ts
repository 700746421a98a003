/** AWS::Events::EventBus and AWS::Events::Rule, through EventBridge's own operations. */
import { eventBusNameOf } from '../../../wire/arn.js';
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { changed, gone, json, list, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const BUS = 'AWS::Events::EventBus';
const RULE = 'AWS::Events::Rule';
const NOT_FOUND = 'ResourceNotFoundException';
const DEFAULT_BUS = 'default';

/** Settings EventBridge here does not serve on buses (resource policies, DLQ, KMS, partner sources). */
function refuseUnserved(type: string, props: Properties, keys: readonly string[]): void {
  for (const key of keys) if (props[key] !== undefined && !(Array.isArray(props[key]) && (props[key] as unknown[]).length === 0)) {
    throw new UnsupportedProperty(type, key, 'EventBridge here does not serve it yet.');
  }
}

const BUS_PROPS = ['Name', 'Description', 'Tags', 'Policy', 'DeadLetterConfig', 'KmsKeyIdentifier', 'EventSourceName'];
const busAttributes = (ctx: ResourceContext, name: string) => {
  const arn = `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name}`;
  return { physicalId: name, attributes: { Arn: arn, Name: name } };
};

const bus: ResourceProvider = {
  replaceOn: ['Name', 'EventSourceName'],
  async create(props, ctx) {
    onlyKnown(BUS, props, BUS_PROPS);
    refuseUnserved(BUS, props, ['Policy', 'DeadLetterConfig', 'KmsKeyIdentifier', 'EventSourceName']);
    const name = str(props, 'Name') ?? ctx.physicalName(256);
    const tags = tagsOf(props, ctx);
    await ctx.call('events', 'CreateEventBus', {
      Name: name,
      ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
      ...(tags.length > 0 ? { Tags: tags } : {}),
    });
    return busAttributes(ctx, name);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(BUS, props, BUS_PROPS);
    refuseUnserved(BUS, props, ['Policy', 'DeadLetterConfig', 'KmsKeyIdentifier', 'EventSourceName']);
    if (changed(props, previous, 'Description')) throw new UnsupportedProperty(BUS, 'Description', 'a change needs UpdateEventBus, which EventBridge here does not serve yet.');
    const { Arn: arn } = busAttributes(ctx, name).attributes;
    await syncTags(ctx, props, previous, (Tags) => ctx.call('events', 'TagResource', { ResourceARN: arn, Tags }), (TagKeys) => ctx.call('events', 'UntagResource', { ResourceARN: arn, TagKeys }));
    return busAttributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('events', 'DeleteEventBus', { Name: name }), NOT_FOUND);
  },
};

const RULE_PROPS = ['Name', 'Description', 'EventBusName', 'EventPattern', 'ScheduleExpression', 'State', 'RoleArn', 'Targets'];
const TARGET_KEYS = ['Id', 'Arn', 'Input', 'InputPath', 'InputTransformer', 'RoleArn', 'SqsParameters', 'RetryPolicy', 'DeadLetterConfig', 'HttpParameters'];

/** A rule's physical id, which Ref returns: its name on the default bus, `bus|name` on another. */
const ruleId = (bus: string, name: string) => (bus === DEFAULT_BUS ? name : `${bus}|${name}`);
function parseRuleId(id: string): { bus: string; name: string } {
  const at = id.lastIndexOf('|');
  return at === -1 ? { bus: DEFAULT_BUS, name: id } : { bus: id.slice(0, at), name: id.slice(at + 1) };
}

function targets(props: Properties): Record<string, unknown>[] {
  return list<Record<string, unknown>>(props, 'Targets').map((t) => {
    for (const key of Object.keys(t)) if (!TARGET_KEYS.includes(key)) throw new UnsupportedProperty(RULE, `Targets[].${key}`, 'EventBridge here delivers to functions, queues, topics, buses and API destinations with these settings only.');
    const retry = t['RetryPolicy'] as Record<string, unknown> | undefined;
    return {
      ...t,
      Id: String(t['Id']),
      Arn: String(t['Arn']),
      ...(t['Input'] !== undefined ? { Input: json(t, 'Input') } : {}),
      ...(retry
        ? {
            RetryPolicy: {
              ...(retry['MaximumRetryAttempts'] !== undefined ? { MaximumRetryAttempts: Number(retry['MaximumRetryAttempts']) } : {}),
              ...(retry['MaximumEventAgeInSeconds'] !== undefined ? { MaximumEventAgeInSeconds: Number(retry['MaximumEventAgeInSeconds']) } : {}),
            },
          }
        : {}),
    };
  });
}

async function putRule(ctx: ResourceContext, bus: string, name: string, props: Properties): Promise<string> {
  const out = await ctx.call('events', 'PutRule', {
    Name: name,
    EventBusName: bus,
    ...(json(props, 'EventPattern') !== undefined ? { EventPattern: json(props, 'EventPattern') } : {}),
    ...(str(props, 'ScheduleExpression') !== undefined ? { ScheduleExpression: str(props, 'ScheduleExpression') } : {}),
    ...(str(props, 'State') !== undefined ? { State: str(props, 'State') } : {}),
    ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
    ...(str(props, 'RoleArn') !== undefined ? { RoleArn: str(props, 'RoleArn') } : {}),
  });
  return out['RuleArn'] as string;
}

async function putTargets(ctx: ResourceContext, bus: string, name: string, all: Record<string, unknown>[]): Promise<void> {
  // PutTargets takes at most ten at a time.
  for (let i = 0; i < all.length; i += 10) {
    const out = await ctx.call('events', 'PutTargets', { Rule: name, EventBusName: bus, Targets: all.slice(i, i + 10) });
    const failed = (out['FailedEntries'] as { TargetId: string; ErrorMessage: string }[] | undefined) ?? [];
    if (failed.length > 0) throw new Error(`${RULE}: target ${failed[0]!.TargetId} was refused: ${failed[0]!.ErrorMessage}`);
  }
}

async function targetIds(ctx: ResourceContext, bus: string, name: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.call('events', 'ListTargetsByRule', { Rule: name, EventBusName: bus, ...(token ? { NextToken: token } : {}) });
    ids.push(...(page['Targets'] as { Id: string }[]).map((t) => t.Id));
    token = page['NextToken'] as string | undefined;
  } while (token);
  return ids;
}

const rule: ResourceProvider = {
  replaceOn: ['Name', 'EventBusName'],
  async create(props, ctx) {
    onlyKnown(RULE, props, RULE_PROPS);
    const bus = eventBusNameOf(str(props, 'EventBusName') ?? DEFAULT_BUS);
    const name = str(props, 'Name') ?? ctx.physicalName(64);
    const wanted = targets(props);
    const arn = await putRule(ctx, bus, name, props);
    return orUndo(
      async () => {
        await putTargets(ctx, bus, name, wanted);
        return { physicalId: ruleId(bus, name), attributes: { Arn: arn } };
      },
      () => rule.delete(ruleId(bus, name), props, ctx),
    );
  },
  async update(id, props, _previous, ctx) {
    onlyKnown(RULE, props, RULE_PROPS);
    const { bus, name } = parseRuleId(id);
    const wanted = targets(props);
    // PutRule replaces the whole rule, as CloudFormation's update does.
    const arn = await putRule(ctx, bus, name, props);
    const keep = new Set(wanted.map((t) => t['Id'] as string));
    const stale = (await targetIds(ctx, bus, name)).filter((i) => !keep.has(i));
    if (stale.length > 0) await ctx.call('events', 'RemoveTargets', { Rule: name, EventBusName: bus, Ids: stale });
    await putTargets(ctx, bus, name, wanted);
    return { physicalId: id, attributes: { Arn: arn } };
  },
  async delete(id, _props, ctx) {
    const { bus, name } = parseRuleId(id);
    await gone(
      (async () => {
        const ids = await targetIds(ctx, bus, name);
        if (ids.length > 0) await ctx.call('events', 'RemoveTargets', { Rule: name, EventBusName: bus, Ids: ids });
        await ctx.call('events', 'DeleteRule', { Name: name, EventBusName: bus });
      })(),
      NOT_FOUND,
    );
  },
};

export const eventsProviders: Record<string, ResourceProvider> = { [BUS]: bus, [RULE]: rule };
