/**
 * The dependency graph of a template's resources, from Ref, Fn::GetAtt, Fn::Sub and DependsOn
 * (Fn::If follows the branch its condition takes). A cycle is a ValidationError naming its resources.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { functionOf } from './intrinsics.js';
import { subNames } from './sub.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The resources (among `ids`) a value refers to. */
export function referencesIn(value: unknown, ids: ReadonlySet<string>, conditions: Readonly<Record<string, boolean>>, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, ids, conditions, into);
    return into;
  }
  if (!isObject(value)) return into;
  const fn = functionOf(value);
  const arg = fn ? value[fn] : undefined;
  const add = (name: unknown) => {
    if (typeof name === 'string' && ids.has(name)) into.add(name);
  };
  if (fn === 'Ref') add(arg);
  else if (fn === 'Fn::GetAtt') {
    if (typeof arg === 'string') add(arg.split('.')[0]);
    else if (Array.isArray(arg)) {
      add(arg[0]);
      referencesIn(arg.slice(1), ids, conditions, into);
    }
  } else if (fn === 'Fn::Sub') {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : ['', {}];
    const own = isObject(vars) ? vars : {};
    if (typeof text === 'string') for (const n of subNames(text)) if (!(n in own)) add(n.split('.')[0]);
    referencesIn(own, ids, conditions, into);
  } else if (fn === 'Fn::If' && Array.isArray(arg)) {
    const c = conditions[String(arg[0])];
    referencesIn(c === undefined ? arg.slice(1) : c ? arg[1] : arg[2], ids, conditions, into);
  } else for (const v of Object.values(value)) referencesIn(v, ids, conditions, into);
  return into;
}

export type Graph = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Each resource's dependencies: references in its Properties and its UpdatePolicy (an alias's
 * CodeDeployLambdaAliasUpdate names the deployment group it deploys through), and DependsOn.
 */
export function dependencyGraph(resources: Readonly<Record<string, Record<string, unknown>>>, conditions: Readonly<Record<string, boolean>>): Graph {
  const ids = new Set(Object.keys(resources));
  const graph = new Map<string, Set<string>>();
  for (const [id, r] of Object.entries(resources)) {
    const deps = referencesIn(r['Properties'], ids, conditions);
    referencesIn(r['UpdatePolicy'], ids, conditions, deps);
    const dependsOn = r['DependsOn'];
    for (const d of typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : []) {
      if (typeof d !== 'string' || !ids.has(d)) throw CloudFormationErrors.validation(`Template format error: Unresolved resource dependencies [${String(d)}] in the Resources block of the template`);
      deps.add(d);
    }
    deps.delete(id);
    graph.set(id, deps);
  }
  const cycle = findCycle(graph);
  if (cycle) throw CloudFormationErrors.validation(`Circular dependency between resources: [${cycle.join(', ')}]`);
  return graph;
}

/** The resources on a cycle, sorted, or undefined when there is none. */
function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return stack.slice(stack.indexOf(id)).sort();
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of graph.get(id) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const c = visit(id);
    if (c) return c;
  }
  return undefined;
}

/** Resource ids in an order where each comes after its dependencies. */
export function topologicalOrder(graph: Graph): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of graph.get(id) ?? []) visit(d);
    out.push(id);
  };
  for (const id of [...graph.keys()].sort()) visit(id);
  return out;
}
