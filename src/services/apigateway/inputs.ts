/** Handler inputs: already decoded and validated against the model by the router, so read as they are. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type In = Record<string, any>;

/** The members of `i` named in `keys` that the caller sent. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fields<K extends string>(i: In, keys: readonly K[]): Partial<Record<K, any>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (i[k] !== undefined && i[k] !== null) out[k] = i[k];
  return out;
}
