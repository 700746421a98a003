/** Change set operations: parse, call the change set service, render. */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { ChangeSets } from '../change-sets.js';
import { renderChangeSet, renderChangeSetSummary } from './render.js';
import { changeSetRequest } from './requests.js';
import type { CloudformationInputs } from '../../../wire/inputs/cloudformation.js';


export function changeSetHandlers(changeSets: ChangeSets): Record<string, OperationHandler> {
  return typedHandlers<CloudformationInputs>({
    async CreateChangeSet(input) {
      const cs = await changeSets.create(changeSetRequest(input));
      return { Id: cs.changeSetId, StackId: cs.stackId };
    },
    async DescribeChangeSet(i) {
      return renderChangeSet(await changeSets.require(i.ChangeSetName, i.StackName));
    },
    async ExecuteChangeSet(i) {
      await changeSets.execute(i.ChangeSetName, i.StackName, i.DisableRollback);
      return {};
    },
    async DeleteChangeSet(i) {
      await changeSets.delete(i.ChangeSetName, i.StackName);
      return {};
    },
    async ListChangeSets(input) {
      return { Summaries: (await changeSets.list(input.StackName)).map(renderChangeSetSummary) };
    },
  });
}
