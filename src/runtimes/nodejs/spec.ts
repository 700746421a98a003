/**
 * nodejs18.x, 20.x, 22.x and 24.x, each on its own Node.js major: the server's own Node.js when it
 * is that major, else the registry-shipped binary installed under runtimes/node<major>
 * (`npx selfless runtimes install`). Functions get the AWS SDK v3 from runtimes/nodejs-sdk, apart
 * from the server's own dependencies, as Lambda's runtimes provide it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuntimeSpec } from '../spec.js';

// This folder is CommonJS (./package.json), the server's import of it included.
/**
 * The bootstrap as one file (scripts/bundle-runtime.mjs, part of `npm run build`): an environment
 * starts without resolving and reading each of the runtime's modules. Where only tsc ran, the
 * modules themselves.
 */
const BOOTSTRAP_ENTRY = existsSync(join(__dirname, 'bootstrap.bundle.js')) ? 'bootstrap.bundle.js' : 'bootstrap.js';
const runtimesDir = `${join(__dirname, '../../../../runtimes')}/`;
/** The SDK v3 clients offered to functions unbundled, as Lambda offers them. */
export const PROVIDED_SDK = `${runtimesDir}nodejs-sdk/node_modules`;

const serverMajor = Number(process.versions.node.split('.')[0]);

/** The Node.js binary for a major: the server's own, or the one installed for functions. */
export function nodeBinary(major: number): string | undefined {
  if (major === serverMajor) return process.execPath;
  const bin = `${runtimesDir}node${major}/node_modules/node-${process.platform}-${process.arch}/bin/node`;
  return existsSync(bin) ? bin : undefined;
}

export function nodejsRuntime(id: string, major: number): RuntimeSpec {
  return {
    id,
    family: 'nodejs',
    unavailable: () =>
      nodeBinary(major) ? undefined : `${id} needs Node.js ${major}, which is not installed here: run 'npx selfless runtimes install ${id}'`,
    launch: ({ memoryMb, taskRoot, expose, opt }) => {
      const binary = nodeBinary(major);
      if (!binary) throw new Error(`${id} is not installed on this machine`);
      const node = binary.startsWith('/usr/') ? binary : `${expose(dirname(dirname(binary)), '/var/lang')}/bin/node`;
      const runtimeDir = expose(__dirname, '/var/runtime');
      const sdk = existsSync(PROVIDED_SDK) ? [expose(PROVIDED_SDK, '/var/sdk/node_modules')] : [];
      return {
        file: node,
        // Lambda's sizing: a tenth of the memory for the young generation (two semi-spaces), the rest
        // for the old one, so a heap overflow dies as it does there. V8's own default for a heap this
        // small is a tiny young generation, collected every few invocations.
        args: [...heapArgs(memoryMb), `${runtimeDir}/${BOOTSTRAP_ENTRY}`],
        env: {
          // Lambda's order: layers (version-specific, then shared), the runtime's SDK, the code.
          // ES module handlers follow the same order through a resolve hook (module-paths.ts).
          NODE_PATH: [`${opt}/nodejs/node${major}/node_modules`, `${opt}/nodejs/node_modules`, ...sdk, taskRoot].join(':'),
          // The provided SDK's notice about the platform's Node.js version is not the function's to print.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        runtimeDir,
        sendsRuntimeToken: true,
      };
    },
  };
}

function heapArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${Math.max(32, memoryMb - newSpace)}`];
}

export const NODEJS_RUNTIMES = [18, 20, 22, 24].map((major) => nodejsRuntime(`nodejs${major}.x`, major));
