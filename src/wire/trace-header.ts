/**
 * The X-Ray trace header (`X-Amzn-Trace-Id`, `_X_AMZN_TRACE_ID`, SQS's `AWSTraceHeader`):
 * `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0|1|?;Lineage=<8 hex>:<count>|...`.
 * Unknown fields are dropped; a malformed root makes the whole header absent (a fresh trace starts).
 */
export interface TraceHeader {
  root: string;
  parent?: string;
  sampled?: '0' | '1' | '?';
  /** Invocations seen per function hash along this trace: how recursive loops are detected. */
  lineage?: Map<string, number>;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const PARENT = /^[0-9a-f]{16}$/;
const LINEAGE_ENTRY = /^([0-9a-f]{8}):(\d{1,5})$/;

export function parseTraceHeader(value: string | undefined): TraceHeader | undefined {
  if (value === undefined || value.length > 8192) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const root = fields.get('Root');
  if (root === undefined || !ROOT.test(root)) return undefined;
  const header: TraceHeader = { root };
  const parent = fields.get('Parent');
  if (parent !== undefined && PARENT.test(parent)) header.parent = parent;
  const sampled = fields.get('Sampled');
  if (sampled === '0' || sampled === '1' || sampled === '?') header.sampled = sampled;
  const lineage = fields.get('Lineage');
  if (lineage !== undefined) {
    const entries = new Map<string, number>();
    for (const entry of lineage.split('|')) {
      const m = LINEAGE_ENTRY.exec(entry);
      if (m) entries.set(m[1]!, Number(m[2]));
    }
    if (entries.size > 0) header.lineage = entries;
  }
  return header;
}

export function formatTraceHeader(h: TraceHeader): string {
  let out = `Root=${h.root}`;
  if (h.parent !== undefined) out += `;Parent=${h.parent}`;
  if (h.sampled !== undefined) out += `;Sampled=${h.sampled}`;
  if (h.lineage !== undefined && h.lineage.size > 0) out += `;Lineage=${[...h.lineage].map(([k, n]) => `${k}:${n}`).join('|')}`;
  return out;
}
