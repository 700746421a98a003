/**
 * Parameter names and selectors as SSM reads them: `name`, `name:3` (a version) or `name:label`;
 * hierarchies of at most 15 levels; names that AWS reserves; labels that AWS accepts.
 */
import { SsmErrors } from '../../wire/errors.js';

export type Selector = { kind: 'latest' } | { kind: 'version'; version: number; text: string } | { kind: 'label'; label: string; text: string };

export interface SelectedName {
  name: string;
  selector: Selector;
}

const MAX_LEVELS = 15;

export function parseSelector(raw: string): SelectedName {
  const colon = raw.lastIndexOf(':');
  if (colon <= 0) return { name: raw, selector: { kind: 'latest' } };
  const name = raw.slice(0, colon);
  const text = raw.slice(colon + 1);
  return /^\d+$/.test(text) ? { name, selector: { kind: 'version', version: Number(text), text: `:${text}` } } : { name, selector: { kind: 'label', label: text, text: `:${text}` } };
}

export function checkName(name: string): void {
  if (/^\/?(aws|ssm)/i.test(name)) throw SsmErrors.validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  if (name.includes('/') && !name.startsWith('/')) throw SsmErrors.validation('Parameter name must be a fully qualified name.');
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw SsmErrors.validation('Parameter name must only contain letters, numbers, and the symbols .-_/');
  }
  if (name.split('/').filter((p) => p.length > 0).length > MAX_LEVELS) throw SsmErrors.hierarchyLevelLimitExceeded();
}

/** Labels SSM refuses (reported back as InvalidLabels, not as an error). */
export const isValidLabel = (label: string): boolean =>
  label.length >= 1 && label.length <= 100 && !/^(aws|ssm)/i.test(label) && !/^\d/.test(label) && /^[a-zA-Z0-9_.-]+$/.test(label);

export function checkPath(path: string): void {
  if (!path.startsWith('/')) throw SsmErrors.validation('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
}

/** Whether `name` is under `path`: any depth when recursive, else directly. */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}
