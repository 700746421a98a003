/**
 * What every error of the catalog is made of (./errors.ts gathers the catalogs, one file per service here).
 * The one catalog of errors users see. Each kind holds AWS's exception name, HTTP status, fault and,
 * for query-protocol clients, the code they read; each entry pairs a kind with its message template.
 * Domain code throws entries' errors and tests them with the predicates below; each protocol module
 * has one renderer that turns them into its wire shape. test/unit/errors-catalog.test.ts checks
 * every kind against its service model.
 */
export type Fault = 'Sender' | 'Receiver';

export interface ErrorKind {
  /** The exception shape's name, which JSON and REST-JSON clients match on. */
  readonly name: string;
  readonly status: number;
  readonly fault: Fault;
  /** What query-protocol clients read as `<Code>` (the model's `error.code` / `awsQueryError`). */
  readonly queryCode: string;
  /** Why the kind is not among its model's exception shapes, when it is not: AWS sends it all the same. */
  readonly outsideModel?: string;
}

export interface KindOptions {
  fault?: Fault;
  queryCode?: string;
  outsideModel?: string;
}

export const kind = (name: string, status: number, o: KindOptions = {}): ErrorKind =>
  Object.freeze({
    name,
    status,
    fault: o.fault ?? (status >= 500 ? 'Receiver' : 'Sender'),
    queryCode: o.queryCode ?? name,
    ...(o.outsideModel ? { outsideModel: o.outsideModel } : {}),
  });

export class AwsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Extra members of the exception shape, e.g. `Reason` of TooManyRequestsException. */
    readonly fields: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = kind.name;
  }

  get code(): string {
    return this.kind.name;
  }

  get status(): number {
    return this.kind.status;
  }
}

/** A catalog entry: call it for an error; `kind` says what the error is. */
export interface ErrorEntry<A extends unknown[]> {
  (...args: A): AwsError;
  readonly kind: ErrorKind;
}

export function entry<A extends unknown[]>(
  k: ErrorKind,
  message: (...args: A) => string,
  extra?: (...args: A) => { fields?: Record<string, string>; headers?: Record<string, string> },
): ErrorEntry<A> {
  const make = (...args: A) => {
    const e = extra?.(...args);
    return new AwsError(k, message(...args), e?.fields, e?.headers);
  };
  return Object.assign(make, { kind: k });
}

export const text = (message: string) => message;
