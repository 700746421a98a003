// The per-invocation context that Lambda's Node.js runtime keeps at `globalThis.awslambda.InvokeStore`
// (the contract of the `@aws/lambda-invoke-store` package): the AWS SDK reads the X-Ray trace id
// from it before `_X_AMZN_TRACE_ID`, Powertools too, so that in a runtime serving several
// invocations at once (managed instances) each call carries its own invocation's trace. The keys
// are the package's `Symbol.for` names, so any copy of the package a function bundles finds this
// store and shares it. Runs inside every environment: built-ins only.
import { AsyncLocalStorage } from 'node:async_hooks';

export const PROTECTED_KEYS = {
  REQUEST_ID: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  X_RAY_TRACE_ID: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  TENANT_ID: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
} as const;

type Context = Record<string | symbol, unknown>;

/** What the runtime knows of an invocation when it starts it. */
export interface InvocationFields {
  requestId: string;
  traceId: string | undefined;
  tenantId: string | undefined;
}

/** The store's interface, as the package's instances present it. */
export class InvokeStore {
  static readonly PROTECTED_KEYS = PROTECTED_KEYS;
  readonly PROTECTED_KEYS = PROTECTED_KEYS;
  /** One invocation at a time: the current one's context; several: each async context's. */
  readonly #als: AsyncLocalStorage<Context> | undefined;
  #current: Context | undefined;

  constructor(concurrent: boolean) {
    this.#als = concurrent ? new AsyncLocalStorage<Context>() : undefined;
  }

  getContext(): Context | undefined {
    return this.#als ? this.#als.getStore() : this.#current;
  }

  hasContext(): boolean {
    return this.getContext() !== undefined;
  }

  get(key: string | symbol): unknown {
    return this.getContext()?.[key];
  }

  set(key: string | symbol, value: unknown): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const context = this.getContext();
    if (context) context[key] = value;
    else if (this.#als) throw new Error('No context available');
    else this.#current = { [key]: value };
  }

  isProtectedKey(key: string | symbol): boolean {
    return (Object.values(PROTECTED_KEYS) as (string | symbol)[]).includes(key);
  }

  getRequestId(): string {
    return (this.get(PROTECTED_KEYS.REQUEST_ID) as string | undefined) ?? '-';
  }

  getXRayTraceId(): string | undefined {
    return this.get(PROTECTED_KEYS.X_RAY_TRACE_ID) as string | undefined;
  }

  getTenantId(): string | undefined {
    return this.get(PROTECTED_KEYS.TENANT_ID) as string | undefined;
  }

  run<T>(context: Context, fn: () => T): T {
    if (this.#als) return this.#als.run(context, fn);
    this.#current = context;
    return fn();
  }

  /** Runs `fn` as the invocation `f` names. */
  runInvocation<T>(f: InvocationFields, fn: () => T): T {
    const context: Context = { [PROTECTED_KEYS.REQUEST_ID]: f.requestId };
    if (f.traceId !== undefined) context[PROTECTED_KEYS.X_RAY_TRACE_ID] = f.traceId;
    if (f.tenantId !== undefined) context[PROTECTED_KEYS.TENANT_ID] = f.tenantId;
    return this.run(context, fn);
  }
}

/**
 * The runtime's store, published where the package looks for it, unless the function opted out of
 * the global (`AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA`, the package's own switch).
 */
export function installInvokeStore(concurrent: boolean): InvokeStore {
  const store = new InvokeStore(concurrent);
  const optedOut = ['1', 'true'].includes(process.env['AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA'] ?? '');
  if (!optedOut) {
    const g = globalThis as { awslambda?: Record<string, unknown> };
    g.awslambda ??= {};
    g.awslambda['InvokeStore'] = store;
  }
  return store;
}
