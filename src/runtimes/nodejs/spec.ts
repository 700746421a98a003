/** nodejs18.x, nodejs20.x, nodejs22.x on this machine's Node.js, with the bootstrap in this folder. */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeSpec } from '../spec.js';

const bootstrap = fileURLToPath(new URL('./bootstrap.js', import.meta.url));
/** The SDK v3 clients this project installs, offered to functions unbundled as Lambda offers them. */
const sdkModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));

export function nodejsRuntime(id: string): RuntimeSpec {
  return {
    id,
    family: 'nodejs',
    unavailable: () => undefined,
    launch: ({ memoryMb, taskRoot, expose, opt }) => {
      const node = process.execPath.startsWith('/usr/') ? process.execPath : `${expose(dirname(dirname(process.execPath)), '/var/lang')}/bin/node`;
      const runtimeDir = expose(dirname(bootstrap), '/var/runtime');
      const sdk = expose(sdkModules, '/var/sdk/node_modules');
      return {
        file: node,
        // Lambda's sizing: a tenth of the memory for the young generation (two semi-spaces), the rest
        // for the old one, so a heap overflow dies as it does there. V8's own default for a heap this
        // small is a tiny young generation, collected every few invocations.
        args: [...heapArgs(memoryMb), `${runtimeDir}/bootstrap.js`],
        env: {
          // Lambda's order: layers (version-specific, then shared), the runtime's SDK, the code.
          NODE_PATH: `${opt}/nodejs/node${/\d+/.exec(id)?.[0] ?? ''}/node_modules:${opt}/nodejs/node_modules:${sdk}:${taskRoot}`,
          // The provided SDK's notice about the platform's Node.js version is not the function's to print.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        runtimeDir,
      };
    },
  };
}

function heapArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${Math.max(32, memoryMb - newSpace)}`];
}

export const NODEJS_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'].map(nodejsRuntime);
