/**
 * A template evaluated against a stack: parameter values, conditions, the resources that exist under
 * them with their dependency graph, and a context that resolves intrinsics as resources come to be.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { StackParameter } from '../model.js';
import { type EvalContext, type Pseudo, type ResolvedResource } from '../template/context.js';
import { dependencyGraph, type Graph } from '../template/dependencies.js';
import { applyServerless, LANGUAGE_EXTENSIONS, readDocument } from '../template/document.js';
import { expandForEach } from '../template/foreach.js';
import { evaluateConditions, NO_VALUE, resolveValue } from '../template/intrinsics.js';
import { resolveParameters, type GivenParameter } from '../template/parameters.js';
import { checkRules } from '../template/rules.js';

export interface ResourceDecl {
  type: string;
  properties: Record<string, unknown>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  /** As written (intrinsics unresolved): resolved with the properties when the resource is worked on. */
  updatePolicy?: unknown;
  metadata?: unknown;
}

export interface Evaluation {
  description?: string;
  parameters: StackParameter[];
  resources: Record<string, ResourceDecl>;
  graph: Graph;
  outputs: Record<string, { Value: unknown; Description?: unknown; Export?: { Name: unknown }; Condition?: string }>;
  /** Resolves intrinsics with the resources given so far. */
  context(resources: ReadonlyMap<string, ResolvedResource>): EvalContext;
  /** The template after its transforms (SAM, Fn::ForEach), when it declared any: GetTemplate's Processed stage. */
  processed?: string;
  /** Export names the template reads with Fn::ImportValue (literal names only). */
  imports: string[];
}

export interface EvaluationInput {
  body: string;
  given: readonly GivenParameter[];
  previous?: readonly StackParameter[];
  pseudo: Pseudo;
  exports: ReadonlyMap<string, string>;
  ssmValue(name: string): Promise<string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function evaluate(input: EvaluationInput): Promise<Evaluation> {
  let doc = readDocument(input.body);
  const transformed = doc.transforms.length > 0;
  const declared = (doc.template['Parameters'] ?? {}) as Record<string, Record<string, unknown>>;
  const params = await resolveParameters(declared, input.given, input.previous, input.ssmValue);
  const stringValues = Object.fromEntries(Object.entries(params.values).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
  doc = await applyServerless(doc, { region: input.pseudo.region, accountId: input.pseudo.accountId, partition: input.pseudo.partition, stackName: input.pseudo.stackName, parameterValues: stringValues });
  const languageExtensions = doc.transforms.includes(LANGUAGE_EXTENSIONS);
  const imports = new Set<string>();
  const base = (resourceIds: ReadonlySet<string>, resources: ReadonlyMap<string, ResolvedResource>): Omit<EvalContext, 'conditions'> => ({
    pseudo: input.pseudo,
    parameters: params.values,
    mappings: (doc.template['Mappings'] ?? {}) as Record<string, unknown>,
    resourceIds,
    resource: (id) => resources.get(id),
    importValue: (name) => {
      imports.add(name);
      return input.exports.get(name);
    },
    languageExtensions,
  });
  let template = doc.template;
  if (languageExtensions) template = expandForEach(template, { ...base(new Set(), new Map()), conditions: {} }) as typeof template;
  const conditions = evaluateConditions((template['Conditions'] ?? {}) as Record<string, unknown>, base(new Set(), new Map()));
  checkRules((template['Rules'] ?? {}) as Record<string, unknown>, { ...base(new Set(), new Map()), conditions });
  const raw = template['Resources'] as Record<string, Record<string, unknown>>;
  const resources: Record<string, ResourceDecl> = {};
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [id, r] of Object.entries(raw)) {
    const cond = r['Condition'];
    if (cond !== undefined) {
      const c = conditions[String(cond)];
      if (c === undefined) throw CloudFormationErrors.validation(`Template format error: Unresolved dependencies [${String(cond)}]. Cannot reference resources in the Conditions block of the template`);
      if (!c) continue;
    }
    const props = r['Properties'] ?? {};
    if (!isObject(props)) throw CloudFormationErrors.validation(`Template format error: [/Resources/${id}/Properties] must be an object`);
    kept[id] = r;
    // AWS::LanguageExtensions lets the policies be intrinsics (`!If`, `!Ref`) of parameters and conditions.
    const policy = (v: unknown) => {
      const value = languageExtensions && typeof v === 'object' && v !== null ? resolveValue(v, { ...base(new Set(), new Map()), conditions }) : v;
      return value === undefined || value === NO_VALUE ? undefined : String(value);
    };
    const deletionPolicy = policy(r['DeletionPolicy']);
    const updateReplacePolicy = policy(r['UpdateReplacePolicy']);
    resources[id] = {
      type: String(r['Type']),
      properties: props,
      ...(deletionPolicy !== undefined ? { deletionPolicy } : {}),
      ...(updateReplacePolicy !== undefined ? { updateReplacePolicy } : {}),
      ...(r['UpdatePolicy'] !== undefined ? { updatePolicy: r['UpdatePolicy'] } : {}),
      ...(r['Metadata'] !== undefined ? { metadata: r['Metadata'] } : {}),
    };
  }
  // Refs to resources whose condition is false are errors, as in CloudFormation: the id set is the kept one.
  const graph = dependencyGraph(kept, conditions);
  const ids = new Set(Object.keys(resources));
  const outputs: Evaluation['outputs'] = {};
  for (const [key, o] of Object.entries((template['Outputs'] ?? {}) as Record<string, Record<string, unknown>>)) {
    if (o['Condition'] !== undefined && !conditions[String(o['Condition'])]) continue;
    outputs[key] = o as Evaluation['outputs'][string];
  }
  const evaluation: Evaluation = {
    parameters: params.stored,
    resources,
    graph,
    outputs,
    context: (resolved) => ({ ...base(ids, resolved), conditions }),
    get imports() {
      return [...imports];
    },
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(transformed ? { processed: JSON.stringify(template) } : {}),
  };
  return evaluation;
}
