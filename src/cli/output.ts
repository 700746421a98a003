/** How the CLI writes: a line to stdout, and tables with columns as wide as their widest cell. */

export const out = (s: string): void => void process.stdout.write(`${s}\n`);

/** Lines of a table, columns two spaces apart; a column `alignRight` names is padded on the left. */
export function tableLines(rows: readonly (readonly string[])[], alignRight: (column: number) => boolean = () => false): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (alignRight(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
}
