/** Fn::Sub's text: `${Name}` and `${Res.Attr}` are replaced; `${!Literal}` is written as `${Literal}`. */
export function substitute(text: string, lookup: (name: string) => string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => (inner.startsWith('!') ? `\${${inner.slice(1)}}` : lookup(inner.trim())));
}

/** The names a Fn::Sub text refers to (for dependencies). */
export function subNames(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1]!.trim());
}
