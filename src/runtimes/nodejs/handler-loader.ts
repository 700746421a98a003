// Loading the handler named by _HANDLER, as Lambda's Node.js runtime resolves it: CommonJS or ES
// modules, nested exports, and Lambda's error types when it cannot.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { enableModulePathsForEsm } from './module-paths.js';
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './errors.js';

export type Callback = (error?: unknown, result?: unknown) => void;
export type Handler = (event: unknown, context: object, callback: Callback) => unknown;

/** `dir/module.export.nested`: the module is up to the first dot after the last slash. */
export async function loadHandler(appRoot: string, fullHandler: string | undefined): Promise<Handler> {
  if (!fullHandler) throw new MalformedHandlerName('Bad handler');
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(base));
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (match === null) throw new MalformedHandlerName('Bad handler');
  const app = await loadModule(appRoot, moduleRoot, match[1] ?? '');
  let handler: unknown = app;
  for (const key of (match[2] ?? '').split('.')) {
    handler = handler ? (handler as Record<string, unknown>)[key] : handler;
  }
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler as Handler;
}

async function loadModule(appRoot: string, moduleRoot: string, name: string): Promise<unknown> {
  try {
    const file = path.resolve(appRoot, moduleRoot, name);
    if (fs.existsSync(file)) return require(file);
    const hasJs = fs.existsSync(`${file}.js`);
    const esm = hasJs && isTypeModule(path.dirname(file));
    if (hasJs && !esm) return require(`${file}.js`);
    if (esm) return await importEsm(`${file}.js`);
    if (fs.existsSync(`${file}.mjs`)) return await importEsm(`${file}.mjs`);
    if (fs.existsSync(`${file}.cjs`)) return require(`${file}.cjs`);
    // A package in node_modules; this also yields Lambda's "Cannot find module" message.
    return require(require.resolve(name, { paths: [appRoot, moduleRoot] }));
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(String(error));
    if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(String(error));
    throw error;
  }
}

/** ES modules find layer packages and the provided SDK as CommonJS does through NODE_PATH. */
function importEsm(file: string): Promise<unknown> {
  enableModulePathsForEsm();
  return import(pathToFileURL(file).href);
}

/** Node's rule: the nearest package.json decides; node_modules stops the walk. */
function isTypeModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith(`${path.sep}node_modules`)) return false;
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as { type?: unknown } | null)?.type === 'module';
      } catch (error) {
        console.warn(`${file} cannot be read, it will be ignored for ES module detection purposes.`, error);
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

export function isAsyncFunction(fn: Handler): boolean {
  try {
    return fn.constructor?.name === 'AsyncFunction';
  } catch {
    return false;
  }
}
