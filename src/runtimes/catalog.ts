/** The runtimes Selfless can run, and how each one starts an execution environment. */
import { fileURLToPath } from 'node:url';

export interface RuntimeSpec {
  id: string;
  family: 'nodejs';
  /** Program and arguments that start the runtime's bootstrap inside an environment. */
  command(memoryMb: number): { file: string; args: string[] };
}

const nodeBootstrap = fileURLToPath(new URL('./nodejs/bootstrap.js', import.meta.url));

function nodejs(id: string): RuntimeSpec {
  return {
    id,
    family: 'nodejs',
    command: (memoryMb) => ({
      file: process.execPath,
      // Lambda sizes the old generation to the function's memory so a heap overflow dies as it does there.
      args: [`--max-old-space-size=${Math.max(32, Math.floor(memoryMb * 0.9))}`, nodeBootstrap],
    }),
  };
}

const RUNTIMES: ReadonlyMap<string, RuntimeSpec> = new Map(
  ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'].map((id) => [id, nodejs(id)]),
);

export const supportedRuntimes = (): string[] => [...RUNTIMES.keys()];
export const findRuntime = (id: string): RuntimeSpec | undefined => RUNTIMES.get(id);
