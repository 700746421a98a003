/** A stack's Outputs once its resources exist, and the checks its exports must pass. */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { CloudFormationRepo } from '../../../storage/cloudformation-repo.js';
import type { StackOutput, StackRecord } from '../model.js';
import type { ResolvedResource } from '../template/context.js';
import { NO_VALUE, resolveValue } from '../template/intrinsics.js';
import type { Evaluation } from './evaluation.js';

/** The resources whose attributes a value reads (Fn::GetAtt, and Fn::Sub's `${Res.Attr}`). */
function getAttTargets(v: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => getAttTargets(x, into));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Fn::GetAtt') into.add(typeof x === 'string' ? x.split('.')[0]! : String((x as unknown[])[0]));
      else if (k === 'Fn::Sub') {
        const text = typeof x === 'string' ? x : Array.isArray(x) ? String(x[0]) : '';
        for (const m of text.matchAll(/\$\{([^}!.]+)\.[^}]+\}/g)) into.add(m[1]!);
        getAttTargets(x, into);
      } else getAttTargets(x, into);
    }
  }
  return into;
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function computeOutputs(evaluation: Evaluation, resolved: ReadonlyMap<string, ResolvedResource>): StackOutput[] {
  const ctx = evaluation.context(resolved);
  return Object.entries(evaluation.outputs).flatMap(([key, o]) => {
    const value = resolveValue(o.Value, ctx);
    // An output whose value is AWS::NoValue is left out, as CloudFormation does.
    if (value === NO_VALUE) return [];
    // Attributes of a resource that answered NoEcho are masked wherever they are shown.
    const masked = [...getAttTargets(o.Value)].some((id) => resolved.get(id)?.noEcho);
    const description = o.Description === undefined ? undefined : text(resolveValue(o.Description, ctx));
    const exportName = o.Export?.Name === undefined ? undefined : text(resolveValue(o.Export.Name, ctx));
    return [{ key, value: masked ? '*****' : text(value), ...(description !== undefined ? { description } : {}), ...(exportName !== undefined ? { exportName } : {}) }];
  });
}

/** Why the stack cannot have these exports (a name another stack exports; an export in use changed or gone), or undefined. */
export async function exportProblem(repo: CloudFormationRepo, stack: StackRecord, outputs: readonly StackOutput[]): Promise<string | undefined> {
  const all = await repo.exports();
  const next = new Map(outputs.filter((o) => o.exportName !== undefined).map((o) => [o.exportName!, o.value]));
  for (const e of all) {
    if (e.stackId !== stack.stackId && next.has(e.name)) return `Export with name ${e.name} is already exported by stack ${await stackName(repo, e.stackId)}`;
  }
  for (const e of all.filter((x) => x.stackId === stack.stackId)) {
    if (next.get(e.name) === e.value) continue;
    const users = (await repo.importers(e.name)).filter((id) => id !== stack.stackId);
    if (users.length > 0) return `Cannot update export ${e.name} as it is in use by ${await stackName(repo, users[0]!)}`;
  }
  return undefined;
}

/** Why a stack's exports cannot go away (another stack imports one), or undefined. */
export async function exportsInUse(repo: CloudFormationRepo, stack: StackRecord): Promise<string | undefined> {
  for (const e of (await repo.exports()).filter((x) => x.stackId === stack.stackId)) {
    const users = (await repo.importers(e.name)).filter((id) => id !== stack.stackId);
    if (users.length > 0) return `Export ${e.name} cannot be deleted as it is in use by ${await stackName(repo, users[0]!)}`;
  }
  return undefined;
}

export async function saveExports(repo: CloudFormationRepo, stack: StackRecord, outputs: readonly StackOutput[], imports: readonly string[]): Promise<void> {
  await repo.setExports(stack.stackId, outputs.filter((o) => o.exportName !== undefined).map((o) => ({ name: o.exportName!, value: o.value })));
  await repo.setImports(stack.stackId, imports);
}

const stackName = async (repo: CloudFormationRepo, id: string) => (await repo.getStack(id))?.name ?? id;

export const noSuchExport = (name: string) => CloudFormationErrors.validation(`No export named ${name} found.`);
