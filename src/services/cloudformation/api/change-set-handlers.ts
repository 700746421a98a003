/** Change set operations: parse, call the change set service, render. */
import type { OperationHandler } from '../../../api/service.js';
import type { ChangeSets } from '../change-sets.js';
import { renderChangeSet, renderChangeSetSummary } from './render.js';
import { changeSetRequest } from './requests.js';

type Named = { ChangeSetName: string; StackName?: string };

export function changeSetHandlers(changeSets: ChangeSets): Record<string, OperationHandler> {
  return {
    async CreateChangeSet(input) {
      const cs = await changeSets.create(changeSetRequest(input));
      return { Id: cs.changeSetId, StackId: cs.stackId };
    },
    async DescribeChangeSet(input) {
      const i = input as Named;
      return renderChangeSet(await changeSets.require(i.ChangeSetName, i.StackName));
    },
    async ExecuteChangeSet(input) {
      const i = input as Named & { DisableRollback?: boolean };
      await changeSets.execute(i.ChangeSetName, i.StackName, i.DisableRollback);
      return {};
    },
    async DeleteChangeSet(input) {
      const i = input as Named;
      await changeSets.delete(i.ChangeSetName, i.StackName);
      return {};
    },
    async ListChangeSets(input) {
      return { Summaries: (await changeSets.list((input as { StackName: string }).StackName)).map(renderChangeSetSummary) };
    },
  };
}
