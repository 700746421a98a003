/** AWS::CloudFormation::Stack: a nested stack, made through the same stack service; its outputs are `Outputs.Name`. */
import { AwsError } from '../../../wire/errors/core.js';
import type { StackOperations } from '../engine/operations.js';
import type { StackRecord } from '../model.js';
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import type { DeployRequest, Stacks } from '../stacks.js';

/** A nested stack may hold what its parent may: the parent's caller acknowledged it. */
const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

function request(stackName: string, props: Properties, ctx: ResourceContext): DeployRequest {
  const params = (props['Parameters'] ?? {}) as Record<string, unknown>;
  return {
    stackName,
    templateUrl: String(props['TemplateURL'] ?? ''),
    parameters: Object.entries(params).map(([key, v]) => ({ key, value: Array.isArray(v) ? v.join(',') : String(v) })),
    tags: { ...ctx.stackTags, ...Object.fromEntries(((props['Tags'] as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value])) },
    capabilities: CAPABILITIES,
    ...(props['NotificationARNs'] !== undefined ? { notificationArns: props['NotificationARNs'] as string[] } : {}),
    ...(props['TimeoutInMinutes'] !== undefined ? { timeoutInMinutes: Number(props['TimeoutInMinutes']) } : {}),
    parentId: ctx.stackId,
  };
}

const outputsOf = (s: StackRecord): Provisioned => ({
  physicalId: s.stackId,
  attributes: Object.fromEntries(s.outputs.map((o) => [`Outputs.${o.key}`, o.value])),
});

export function nestedStackProvider(stacks: Stacks, operations: StackOperations): ResourceProvider {
  const settle = async (stackId: string, expected: string, what: string): Promise<StackRecord> => {
    await operations.settled(stackId);
    const s = await stacks.require(stackId);
    if (s.status !== expected) throw new Error(`Embedded stack ${stackId} was not successfully ${what}: ${s.statusReason ?? s.status}`);
    return s;
  };
  return {
    replaceOn: [],
    async create(props, ctx) {
      const parent = await stacks.require(ctx.stackId);
      const child = await stacks.create({ ...request(ctx.physicalName(128), props, ctx), rootId: parent.rootId ?? parent.stackId });
      return outputsOf(await settle(child.stackId, 'CREATE_COMPLETE', 'created'));
    },
    async update(stackId, props, _previous, ctx) {
      try {
        await stacks.update({ ...request(stackId, props, ctx), tags: request(stackId, props, ctx).tags });
      } catch (err) {
        if (!(err instanceof AwsError && err.message === 'No updates are to be performed.')) throw err;
      }
      await operations.settled(stackId);
      const s = await stacks.require(stackId);
      if (s.status !== 'UPDATE_COMPLETE' && s.status !== 'CREATE_COMPLETE' && s.status !== 'UPDATE_ROLLBACK_COMPLETE') throw new Error(`Embedded stack ${stackId} was not successfully updated: ${s.statusReason ?? s.status}`);
      if (s.status === 'UPDATE_ROLLBACK_COMPLETE') throw new Error(`Embedded stack ${stackId} was not successfully updated. Currently in UPDATE_ROLLBACK_COMPLETE.`);
      return outputsOf(s);
    },
    async delete(stackId) {
      const s = await stacks.d.repo.getStack(stackId);
      if (!s || s.status === 'DELETE_COMPLETE') return;
      await stacks.delete(stackId);
      await settle(stackId, 'DELETE_COMPLETE', 'deleted');
    },
  };
}
