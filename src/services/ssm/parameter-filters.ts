/**
 * ParameterFilters (and DescribeParameters' older Filters) as SSM matches them: keys Name, Type,
 * KeyId, Label, Tier, DataType, Path and `tag:<key>`; options Equals, BeginsWith, Contains, and for
 * Path Recursive or OneLevel. Filters are ANDed, a filter's values ORed.
 */
import type { ParameterRecord, ParameterVersion } from '../../domain/parameter.js';
import { SsmErrors } from '../../wire/errors.js';
import { underPath } from './names.js';

export interface ParameterFilter {
  key: string;
  option?: string;
  values: string[];
}

const OPTIONS: Record<string, readonly string[]> = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Type: ['Equals'],
  KeyId: ['Equals'],
  Label: ['Equals'],
  Tier: ['Equals'],
  DataType: ['Equals'],
  Path: ['Recursive', 'OneLevel'],
};

/** Refuses keys and options SSM refuses; `allowed` narrows the keys (GetParametersByPath takes no Name or Path). */
export function checkFilters(filters: readonly ParameterFilter[], allowed?: readonly string[]): void {
  for (const f of filters) {
    const base = f.key.startsWith('tag:') ? 'tag' : f.key;
    if (base !== 'tag' && !OPTIONS[base]) throw SsmErrors.invalidFilterKey(`The following filter key is not valid: ${f.key}.`);
    if (allowed && !allowed.includes(base)) throw SsmErrors.invalidFilterKey(`The following filter key is not valid: ${f.key}. Valid filter keys include: [${allowed.join(', ')}].`);
    const options = base === 'tag' ? ['Equals', 'BeginsWith', 'Contains'] : OPTIONS[base]!;
    if (f.option !== undefined && !options.includes(f.option)) throw SsmErrors.invalidFilterOption(`The following filter option is not valid: ${f.option}. Valid options include: [${options.join(', ')}].`);
    if (base !== 'tag' && f.values.length === 0) throw SsmErrors.invalidFilterValue(`The following filter values are missing : null for filter key ${f.key}.`);
  }
}

const compare = (option: string, field: string, value: string): boolean =>
  option === 'BeginsWith' ? field.startsWith(value) : option === 'Contains' ? field.includes(value) : field === value;

function matches(p: ParameterRecord, latest: ParameterVersion, f: ParameterFilter): boolean {
  const option = f.option ?? (f.key === 'Path' ? 'OneLevel' : 'Equals');
  if (f.key.startsWith('tag:')) {
    const tag = p.tags.find((t) => t.key === f.key.slice(4));
    return tag !== undefined && (f.values.length === 0 || f.values.some((v) => compare(option, tag.value, v)));
  }
  switch (f.key) {
    case 'Name':
      return f.values.some((v) => compare(option, p.name, v) || (option === 'Equals' && `/${p.name}` === v));
    case 'Type':
      return f.values.includes(latest.type);
    case 'KeyId':
      return latest.keyId !== undefined && f.values.some((v) => latest.keyId === v || latest.keyId!.endsWith(`/${v}`));
    case 'Label':
      return p.versions.some((ver) => ver.labels.some((l) => f.values.includes(l)));
    case 'Tier':
      return f.values.includes(latest.tier);
    case 'DataType':
      return f.values.includes(latest.dataType);
    case 'Path':
      return f.values.some((v) => underPath(p.name, v, option === 'Recursive'));
    default:
      return false;
  }
}

export const matchesFilters = (p: ParameterRecord, filters: readonly ParameterFilter[]): boolean => {
  const latest = p.versions[p.versions.length - 1]!;
  return filters.every((f) => matches(p, latest, f));
};
