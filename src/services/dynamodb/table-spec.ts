/** Checks a table's definition (CreateTable, a new index) the way DynamoDB does, and builds its key schemas. */
import { DynamoDbErrors } from '../../wire/errors.js';
import type { IndexDefinition, KeyAttribute, KeySchema, Projection } from './table.js';

export interface KeyElement {
  name: string;
  keyType: 'HASH' | 'RANGE';
}

export interface IndexSpec {
  name: string;
  keySchema: KeyElement[];
  projection: Projection;
  throughput?: { read: number; write: number } | undefined;
}

const invalid = DynamoDbErrors.invalidParameter;

export function keySchemaOf(elements: readonly KeyElement[], attributes: readonly KeyAttribute[], what = 'Table'): KeySchema {
  const [hash, range, ...rest] = elements;
  if (!hash || hash.keyType !== 'HASH' || (range && range.keyType !== 'RANGE') || rest.length > 0) {
    throw invalid(`${what} KeySchema: the first key must be the HASH key, an optional second the RANGE key`);
  }
  if (range && range.name === hash.name) throw invalid(`Both the Hash Key and the Range Key element in the KeySchema have the same name`);
  const typeOf = (name: string): KeyAttribute => {
    const a = attributes.find((x) => x.name === name);
    if (!a) throw invalid(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${elements.map((e) => e.name).join(', ')}], AttributeDefinitions: [${attributes.map((x) => x.name).join(', ')}]`);
    return a;
  };
  return range ? { hash: typeOf(hash.name), range: typeOf(range.name) } : { hash: typeOf(hash.name) };
}

export function checkProjection(p: Projection, index: string): void {
  if (p.type === 'INCLUDE' && !(p.nonKeyAttributes?.length ?? 0)) {
    throw invalid(`NonKeyAttributes must be specified when ProjectionType is INCLUDE; index: ${index}`);
  }
  if (p.type !== 'INCLUDE' && p.nonKeyAttributes !== undefined) {
    throw invalid(`ProjectionType is ${p.type}, but NonKeyAttributes is specified`);
  }
}

export function indexOf(spec: IndexSpec, kind: 'global' | 'local', attributes: readonly KeyAttribute[], table: KeySchema, status: IndexDefinition['status']): IndexDefinition {
  const key = keySchemaOf(spec.keySchema, attributes, 'Index');
  if (kind === 'local') {
    if (!table.range) throw invalid('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    if (key.hash.name !== table.hash.name || !key.range) {
      throw invalid(`Index KeySchema of a LocalSecondaryIndex must have the table's hash key and a range key; index: ${spec.name}`);
    }
  }
  checkProjection(spec.projection, spec.name);
  return { name: spec.name, kind, key, projection: spec.projection, status, ...(spec.throughput ? { throughput: spec.throughput } : {}) };
}

/** Every attribute definition must be a key of the table or of an index, as DynamoDB requires. */
export function checkAttributesUsed(attributes: readonly KeyAttribute[], keys: readonly KeySchema[], all = true): void {
  const used = new Set(keys.flatMap((k) => [k.hash.name, ...(k.range ? [k.range.name] : [])]));
  const names = new Set(attributes.map((a) => a.name));
  if (attributes.some((a) => !used.has(a.name)) || names.size !== attributes.length || (all && [...used].some((n) => !names.has(n)))) {
    throw invalid('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
}
