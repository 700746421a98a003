/**
 * ListSecrets' and BatchGetSecretValue's filters, as Secrets Manager matches them: a value matches by
 * prefix, case-insensitively for name/description/tags, and a leading `!` negates; filters are ANDed,
 * a filter's values ORed.
 */
import type { SecretRecord } from '../../../domain/secret.js';
import { SecretsManagerErrors } from '../../../wire/errors.js';

/** As the model has it: a filter may come without a key, which Secrets Manager refuses. */
export interface Filter {
  Key?: string;
  Values?: string[];
}

const starts = (field: string | undefined, value: string) => field !== undefined && field.toLowerCase().startsWith(value.toLowerCase());

function fieldsOf(r: SecretRecord, key: string | undefined): (string | undefined)[] {
  switch (key) {
    case 'name':
      return [r.name];
    case 'description':
      return [r.description];
    case 'tag-key':
      return r.tags.map((t) => t.key);
    case 'tag-value':
      return r.tags.map((t) => t.value);
    case 'all':
      return [r.name, r.description, ...r.tags.flatMap((t) => [t.key, t.value])];
    case 'primary-region':
    case 'owning-service':
      return [];
    default:
      throw SecretsManagerErrors.invalidParameter(`Invalid filter key: ${key ?? 'null'}`);
  }
}

export function matchesFilters(r: SecretRecord, filters: readonly Filter[]): boolean {
  return filters.every((f) =>
    (f.Values ?? []).some((raw) => {
      const negated = raw.startsWith('!');
      const value = negated ? raw.slice(1) : raw;
      const hit = fieldsOf(r, f.Key).some((field) => starts(field, value));
      return negated ? !hit : hit;
    }),
  );
}

/** NextToken: the offset of the next item, opaque to clients. */
export const pageToken = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64');

export function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw SecretsManagerErrors.invalidNextToken();
  return Number(m[1]);
}
