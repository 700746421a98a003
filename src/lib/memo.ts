/**
 * A function of one string remembered for the strings it has seen: for what every request computes
 * from a value that nearly never changes (the Host header, an Invoke path). At most `max` entries;
 * past that the memory starts again empty, so a stream of distinct keys costs no more than no memo.
 */
export function memoByString<T>(fn: (key: string) => T, max = 512): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    const hit = seen.get(key);
    if (hit !== undefined || seen.has(key)) return hit as T;
    if (seen.size >= max) seen.clear();
    const value = fn(key);
    seen.set(key, value);
    return value;
  };
}
