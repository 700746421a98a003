// `_X_AMZN_TRACE_ID` changes with every invocation, and code reads it from process.env (the X-Ray SDK,
// the AWS SDK's recursion detection). Setting it there calls the C library's setenv, and glibc never
// frees a replaced value: it keeps every distinct `name=value` string it was given, in a tree it
// searches on each call. With a new trace id per invocation that is ~150 bytes lost and a slower
// lookup every time: some 47 MB after 300,000 invocations, enough for a steady load to push a
// 128 MB function into its memory limit within hours. So the variable lives here, in JavaScript:
// process.env becomes a proxy of the real one that answers for this one name and passes every other
// name through. Reads, `in`, enumeration, spreading and child processes (child_process builds its
// environment from process.env) see the current value; native getenv and a Worker started with the
// default environment (a copy of the process's own) do not. Built-ins only.

const NAME = '_X_AMZN_TRACE_ID';

export interface TraceIdEnv {
  /** The current invocation's trace header, or none. */
  set(traceId: string | undefined): void;
}

export function installTraceIdEnv(): TraceIdEnv {
  const real = process.env;
  let value = real[NAME];
  // The C environment never holds it again: no stale value for a native reader, no setenv to leak.
  delete real[NAME];
  const descriptor = (): PropertyDescriptor | undefined =>
    value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
  process.env = new Proxy(real, {
    get: (target, key) => (key === NAME ? value : Reflect.get(target, key)),
    set: (target, key, v: unknown) => {
      // As process.env does: every value is stored as a string.
      if (key === NAME) value = String(v);
      else target[key as string] = v as string;
      return true;
    },
    has: (target, key) => (key === NAME ? value !== undefined : Reflect.has(target, key)),
    deleteProperty: (target, key) => {
      if (key === NAME) value = undefined;
      else delete target[key as string];
      return true;
    },
    ownKeys: (target) => {
      const keys = Reflect.ownKeys(target);
      return value === undefined ? keys : [...keys, NAME];
    },
    getOwnPropertyDescriptor: (target, key) => (key === NAME ? descriptor() : Reflect.getOwnPropertyDescriptor(target, key)),
    defineProperty: (target, key, d) => {
      if (key !== NAME) return Reflect.defineProperty(target, key, d);
      // As process.env: a plain data property or nothing.
      if (d.get || d.set || d.configurable === false || d.writable === false || d.enumerable === false) {
        throw new TypeError("'process.env' only accepts a configurable, writable, and enumerable data descriptor");
      }
      value = String(d.value);
      return true;
    },
  });
  return {
    set: (traceId) => {
      value = traceId;
    },
  };
}
