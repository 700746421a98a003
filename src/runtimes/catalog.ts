/** The runtimes Selfless can run. Each family lives in its own folder. */
import { NODEJS_RUNTIMES } from './nodejs/spec.js';
import { PROVIDED_RUNTIMES } from './provided/spec.js';
import { PYTHON_RUNTIMES } from './python/spec.js';
import { RUBY_RUNTIMES } from './ruby/spec.js';
import type { RuntimeSpec } from './spec.js';

const RUNTIMES: ReadonlyMap<string, RuntimeSpec> = new Map([...NODEJS_RUNTIMES, ...PYTHON_RUNTIMES, ...RUBY_RUNTIMES, ...PROVIDED_RUNTIMES].map((r) => [r.id, r]));

export const supportedRuntimes = (): string[] => [...RUNTIMES.keys()];
export const findRuntime = (id: string): RuntimeSpec | undefined => RUNTIMES.get(id);
