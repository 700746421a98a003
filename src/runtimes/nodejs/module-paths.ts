// ES modules ignore NODE_PATH, which is how CommonJS handlers find layer packages and the SDK the
// runtime provides. Lambda resolves them for ES modules too: a resolve hook that, when a bare
// specifier is not found from the importing file, tries the same folders in NODE_PATH's order.
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type ResolveContext = { parentURL?: string | undefined; conditions?: readonly string[]; importAttributes?: Record<string, string> };
type ResolveResult = { url: string; format?: string | null | undefined; shortCircuit?: boolean };
type SyncHooks = {
  registerHooks?: (hooks: {
    resolve: (specifier: string, context: ResolveContext, next: (s: string, c?: ResolveContext) => ResolveResult) => ResolveResult;
  }) => unknown;
};

let enabled = false;

/** Folders of NODE_PATH, in order, as parent URLs a bare specifier can be resolved from. */
export function fallbackParents(nodePath: string | undefined): string[] {
  return (nodePath ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => pathToFileURL(path.join(dir, '__selfless_resolve__.js')).href);
}

/** Bare specifiers (`@aws-sdk/client-s3`, `lodash/fp`) fall back; relative, absolute and `node:` ones never do. */
export const isBare = (specifier: string): boolean => !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier);

/** Before the first ES module handler is imported: installs the resolve fallback once. */
export function enableModulePathsForEsm(): void {
  if (enabled) return;
  enabled = true;
  const parents = fallbackParents(process.env['NODE_PATH']);
  if (parents.length === 0) return;
  const sync = module as unknown as SyncHooks;
  if (typeof sync.registerHooks === 'function') {
    // Node 22.15 and later: hooks on the module thread, no loader worker to start.
    sync.registerHooks({
      resolve(specifier, context, next) {
        try {
          return next(specifier, context);
        } catch (error) {
          if (!isBare(specifier) || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
          for (const parentURL of parents) {
            try {
              return next(specifier, { ...context, parentURL });
            } catch {
              // not in this folder: the next one
            }
          }
          throw error;
        }
      },
    });
    return;
  }
  // The hooks are an ES module (.mts): module.register imports them.
  module.register(pathToFileURL(path.join(__dirname, 'module-paths.hooks.mjs')), { data: { parents } });
}
