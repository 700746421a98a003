/**
 * OS-only runtimes (`provided.al2023`, `provided.al2`): the package's own executable `bootstrap`
 * is started with the standard environment and speaks the Runtime API itself.
 */
import type { RuntimeSpec } from '../spec.js';

export function providedRuntime(id: string): RuntimeSpec {
  return {
    id,
    family: 'provided',
    unavailable: () => undefined,
    launch: ({ taskRoot }) => ({
      file: `${taskRoot}/bootstrap`,
      args: [],
      env: {},
      runtimeDir: taskRoot,
    }),
  };
}

export const PROVIDED_RUNTIMES = ['provided.al2023', 'provided.al2'].map(providedRuntime);
