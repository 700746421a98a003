/**
 * Runs work over a dependency graph: each item once all it depends on are done, at most `limit` at a
 * time. After the first failure nothing new starts; the items under way finish.
 */
export interface GraphRun {
  /** The first item that failed, and why. */
  failed?: { id: string; error: unknown };
  /** Items that never started because of the failure. */
  skipped: string[];
}

export async function runGraph(ids: readonly string[], dependsOn: (id: string) => Iterable<string>, limit: number, work: (id: string) => Promise<void>): Promise<GraphRun> {
  const inSet = new Set(ids);
  const deps = new Map(ids.map((id) => [id, new Set([...dependsOn(id)].filter((d) => inSet.has(d) && d !== id))]));
  const done = new Set<string>();
  const started = new Set<string>();
  let failed: GraphRun['failed'];
  let running = 0;
  return new Promise<GraphRun>((resolve) => {
    const pump = () => {
      if (!failed) {
        for (const id of ids) {
          if (running >= limit) break;
          if (started.has(id) || [...deps.get(id)!].some((d) => !done.has(d))) continue;
          started.add(id);
          running++;
          work(id).then(
            () => {
              done.add(id);
              running--;
              pump();
            },
            (error: unknown) => {
              failed ??= { id, error };
              running--;
              pump();
            },
          );
        }
      }
      if (running === 0) {
        const skipped = ids.filter((id) => !started.has(id));
        // A graph that cannot progress has a cycle the caller let through: report it as a failure.
        if (!failed && skipped.length > 0) failed = { id: skipped[0]!, error: new Error(`circular dependency among [${skipped.join(', ')}]`) };
        resolve({ ...(failed ? { failed } : {}), skipped });
      }
    };
    pump();
  });
}
