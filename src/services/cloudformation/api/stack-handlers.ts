/** Stack operations: parse, call the stack service, render. */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { isDeleted } from '../model.js';
import type { Stacks } from '../stacks.js';
import { renderEvent, renderResource, renderResourceDetail, renderResourceSummary, renderStack, renderStackSummary } from './render.js';
import { deployRequest } from './requests.js';
import type { CloudformationInputs } from '../../../wire/inputs/cloudformation.js';

const PAGE = 100;
/** One page of `items` from the offset a NextToken carries. */
function page<T>(items: readonly T[], token: string | undefined, size = PAGE): { items: T[]; NextToken?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw CloudFormationErrors.validation('Invalid NextToken');
  const slice = items.slice(start, start + size);
  return { items: slice, ...(start + size < items.length ? { NextToken: String(start + size) } : {}) };
}

export function stackHandlers(stacks: Stacks): Record<string, OperationHandler> {
  const repo = stacks.d.repo;
  return typedHandlers<CloudformationInputs>({
    async CreateStack(input) {
      return { StackId: (await stacks.create(deployRequest(input))).stackId };
    },
    async UpdateStack(input) {
      return { StackId: (await stacks.update(deployRequest(input))).stackId };
    },
    async DeleteStack(i) {
      await stacks.delete(i.StackName, i.RetainResources ?? []);
      return {};
    },
    async DescribeStacks(i) {
      if (i.StackName !== undefined) return { Stacks: [renderStack(await stacks.require(i.StackName))] };
      const all = (await repo.listStacks()).filter((s) => !isDeleted(s));
      const p = page(all, i.NextToken);
      return { Stacks: p.items.map(renderStack), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    async ListStacks(i) {
      const filter = i.StackStatusFilter ?? [];
      const all = (await repo.listStacks()).filter((s) => filter.length === 0 || filter.includes(s.status));
      const p = page(all, i.NextToken);
      return { StackSummaries: p.items.map(renderStackSummary), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    async DescribeStackEvents(i) {
      const stack = await stacks.require(i.StackName);
      const p = page(await repo.events(stack.stackId), i.NextToken);
      return { StackEvents: p.items.map(renderEvent), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    async DescribeStackResource(i) {
      const stack = await stacks.require(i.StackName);
      const r = (await repo.resources(stack.stackId)).find((x) => x.logicalId === i.LogicalResourceId);
      if (!r) throw CloudFormationErrors.validation(`Resource ${i.LogicalResourceId} does not exist for stack ${stack.name}`);
      return { StackResourceDetail: renderResourceDetail(stack, r) };
    },
    async DescribeStackResources(i) {
      let stack;
      if (i.StackName !== undefined) stack = await stacks.require(i.StackName);
      else if (i.PhysicalResourceId !== undefined) {
        for (const s of await repo.listStacks()) {
          if (!isDeleted(s) && (await repo.resources(s.stackId)).some((r) => r.physicalId === i.PhysicalResourceId)) {
            stack = s;
            break;
          }
        }
        if (!stack) throw CloudFormationErrors.validation(`Stack for ${i.PhysicalResourceId} does not exist`);
      } else throw CloudFormationErrors.validation('Either StackName or PhysicalResourceId must be specified.');
      const resources = (await repo.resources(stack.stackId)).filter((r) => i.LogicalResourceId === undefined || r.logicalId === i.LogicalResourceId);
      return { StackResources: resources.map((r) => renderResource(stack, r)) };
    },
    async ListStackResources(i) {
      const stack = await stacks.require(i.StackName);
      const p = page(await repo.resources(stack.stackId), i.NextToken);
      return { StackResourceSummaries: p.items.map(renderResourceSummary), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    async UpdateTerminationProtection(i) {
      return { StackId: (await stacks.setTerminationProtection(i.StackName, i.EnableTerminationProtection)).stackId };
    },
    async SetStackPolicy(i) {
      if (i.StackPolicyBody === undefined) throw CloudFormationErrors.validation('StackPolicyURL is not supported by this server: give StackPolicyBody');
      await stacks.setPolicy(i.StackName, i.StackPolicyBody);
      return {};
    },
    async GetStackPolicy(input) {
      const stack = await stacks.require(input.StackName);
      return stack.stackPolicy === undefined ? {} : { StackPolicyBody: stack.stackPolicy };
    },
    async ListExports(input) {
      const p = page(await repo.exports(), input.NextToken);
      return { Exports: p.items.map((e) => ({ ExportingStackId: e.stackId, Name: e.name, Value: e.value })), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    async ListImports(i) {
      if (!(await repo.exports()).some((e) => e.name === i.ExportName)) throw CloudFormationErrors.validation(`Export '${i.ExportName}' does not exist.`);
      const names = [];
      for (const id of await repo.importers(i.ExportName)) names.push((await repo.getStack(id))?.name ?? id);
      const p = page(names, i.NextToken);
      if (p.items.length === 0) throw CloudFormationErrors.validation(`Export '${i.ExportName}' is not imported by any stack.`);
      return { Imports: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  });
}
