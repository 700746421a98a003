/**
 * Interpreters the operator names for runtimes (`selfless serve --runtime-interpreter ruby3.3=/usr/bin/ruby`),
 * used instead of searching the machine: set once at start, before any function is created.
 */
let overrides: ReadonlyMap<string, string> = new Map();

export function setInterpreterOverrides(byRuntime: Readonly<Record<string, string>>): void {
  overrides = new Map(Object.entries(byRuntime));
}

export const interpreterOverride = (runtimeId: string): string | undefined => overrides.get(runtimeId);
