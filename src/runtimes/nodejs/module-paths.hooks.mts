// Loader hooks for Node.js 20, where hooks run on their own thread (module.register): the same
// fallback as module-paths.ts's in-thread hooks, for ES module handlers.
import { isBare } from './module-paths.js';

type ResolveContext = { parentURL?: string | undefined };
type Next = (specifier: string, context?: ResolveContext) => Promise<unknown>;

let parents: string[] = [];

export function initialize(data: { parents: string[] }): void {
  parents = data.parents;
}

export async function resolve(specifier: string, context: ResolveContext, next: Next): Promise<unknown> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!isBare(specifier) || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const parentURL of parents) {
      try {
        return await next(specifier, { ...context, parentURL });
      } catch {
        // not in this folder: the next one
      }
    }
    throw error;
  }
}
