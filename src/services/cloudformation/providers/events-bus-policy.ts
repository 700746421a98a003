/**
 * AWS::Events::EventBusPolicy (Ref: `EventBusName|StatementId`), through EventBridge's PutPermission
 * and RemovePermission: one statement of the bus's resource-based policy, given whole (`Statement`)
 * or as the older `Action`, `Principal` and `Condition`.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { ignoreMissing } from './common.js';
import { obj, onlyKnown, str } from './props.js';

const TYPE = 'AWS::Events::EventBusPolicy';
const KNOWN = ['EventBusName', 'StatementId', 'Statement', 'Action', 'Principal', 'Condition'];
const busOf = (props: Properties) => str(props, 'EventBusName') ?? 'default';

async function put(props: Properties, ctx: ResourceContext): Promise<string> {
  onlyKnown(TYPE, props, KNOWN);
  const bus = busOf(props);
  const sid = str(props, 'StatementId') ?? '';
  const statement = obj(props, 'Statement');
  if (statement) {
    const described = await ctx.call('events', 'DescribeEventBus', { Name: bus });
    const policy = typeof described['Policy'] === 'string' ? (JSON.parse(described['Policy']) as { Version?: string; Statement?: unknown }) : {};
    const others = (Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : []).filter((s) => (s as { Sid?: string }).Sid !== sid);
    const document = { Version: policy.Version ?? '2012-10-17', Statement: [...others, { ...statement, Sid: sid }] };
    await ctx.call('events', 'PutPermission', { EventBusName: bus, Policy: JSON.stringify(document) });
  } else {
    const condition = obj(props, 'Condition');
    await ctx.call('events', 'PutPermission', {
      EventBusName: bus,
      StatementId: sid,
      Action: str(props, 'Action') ?? '',
      Principal: str(props, 'Principal') ?? '',
      ...(condition ? { Condition: { Type: str(condition, 'Type') ?? '', Key: str(condition, 'Key') ?? '', Value: str(condition, 'Value') ?? '' } } : {}),
    });
  }
  return `${bus}|${sid}`;
}

const busPolicy: ResourceProvider = {
  replaceOn: ['EventBusName', 'StatementId'],
  async create(props, ctx) {
    return { physicalId: await put(props, ctx), attributes: {} };
  },
  async update(_id, props, _previous, ctx) {
    return { physicalId: await put(props, ctx), attributes: {} };
  },
  async delete(_id, props, ctx) {
    await ignoreMissing(ctx.call('events', 'RemovePermission', { EventBusName: busOf(props), StatementId: str(props, 'StatementId') ?? '' }));
  },
};

export const eventBusPolicyProviders: Record<string, ResourceProvider> = { [TYPE]: busPolicy };
