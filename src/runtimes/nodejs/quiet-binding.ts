// One of Node.js's own bindings through process.binding, when that prints nothing: on Node.js 18-24 the
// bindings used here are allowed without a warning, but --pending-deprecation (or
// NODE_PENDING_DEPRECATION=1) wraps process.binding to print DEP0111 into the function's log.
// Undefined where it would warn, is gone, or does not know the name: callers then take the public API.

type Binding = ((name: string) => Record<string, unknown>) & { name: string };

export function quietBinding(name: string): Record<string, unknown> | undefined {
  const binding = (process as unknown as { binding?: Binding }).binding;
  if (typeof binding !== 'function' || binding.name !== 'binding') return undefined;
  try {
    return binding(name);
  } catch {
    return undefined;
  }
}
