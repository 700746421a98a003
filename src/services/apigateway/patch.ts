/**
 * API Gateway's patch operations (`{op, path, value}`, JSON-Pointer-like paths with `~1` for `/`):
 * each Update operation says which paths it accepts; anything else is AWS's BadRequestException.
 */
import { ApiGatewayErrors } from '../../wire/errors.js';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: string;
  from?: string;
}

/** A path's segments, unescaped (`/binaryMediaTypes/image~1png` is `['binaryMediaTypes', 'image/png']`). */
export const segmentsOf = (path: string): string[] =>
  path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** Applies one operation; `false` from the applier means the path is not one this resource takes. */
export type PatchApplier = (op: PatchOperation, segments: string[]) => boolean;

export function applyPatches(ops: readonly PatchOperation[] | undefined, apply: PatchApplier): void {
  for (const op of ops ?? []) {
    if (!['add', 'remove', 'replace'].includes(op.op)) throw ApiGatewayErrors.badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace]`);
    if (!apply(op, segmentsOf(op.path))) throw ApiGatewayErrors.badRequest(`Invalid patch path ${op.path}`);
  }
}

/** The operation's value, required for add and replace. */
export function valueOf(op: PatchOperation): string {
  if (op.value === undefined) throw ApiGatewayErrors.badRequest(`Invalid null or empty value in ${op.path}`);
  return op.value;
}

export function boolValue(op: PatchOperation): boolean {
  const v = valueOf(op);
  if (v !== 'true' && v !== 'false') throw ApiGatewayErrors.badRequest(`Invalid boolean value ${v} for ${op.path}`);
  return v === 'true';
}

export function numberValue(op: PatchOperation): number {
  const n = Number(valueOf(op));
  if (!Number.isFinite(n)) throw ApiGatewayErrors.badRequest(`Invalid number value ${op.value} for ${op.path}`);
  return n;
}

/** Sets or removes a key of a string map (`/variables/name`, `/tags/key`). */
export function patchMap(map: Record<string, string>, op: PatchOperation, key: string): void {
  if (op.op === 'remove') delete map[key];
  else map[key] = valueOf(op);
}
