/** Primary and index keys of items: extraction, DynamoDB's checks and wording, and their encodings. */
import { DynamoDbErrors } from '../../wire/errors.js';
import type { ItemRef } from '../../storage/dynamodb-repo.js';
import { encodeKey } from './key-codec.js';
import { keyNames, projectedNames, type IndexDefinition, type KeyAttribute, type TableRecord } from './table.js';
import { typeOf, type Item, type Value } from './values.js';

const EMPTY = Buffer.alloc(0);

function checkKeyValue(attr: KeyAttribute, v: Value | undefined, where: 'item' | 'key'): Value {
  if (v === undefined) {
    throw where === 'item' ? DynamoDbErrors.invalidParameter(`Missing the key ${attr.name} in the item`) : DynamoDbErrors.validation('The provided key element does not match the schema');
  }
  if (typeOf(v) !== attr.type) {
    throw where === 'item'
      ? DynamoDbErrors.invalidParameter(`Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${typeOf(v)}`)
      : DynamoDbErrors.validation('The provided key element does not match the schema');
  }
  if (('S' in v && v.S === '') || ('B' in v && v.B.length === 0)) {
    throw DynamoDbErrors.validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in v ? 'string' : 'binary'} value. Key: ${attr.name}`);
  }
  return v;
}

/** Where an item to be written lives; DynamoDB's messages for a missing or mistyped key attribute. */
export function refOfItem(t: TableRecord, item: Item, where: 'item' | 'key' = 'item'): ItemRef {
  const pk = encodeKey(checkKeyValue(t.key.hash, item[t.key.hash.name], where));
  const sk = t.key.range ? encodeKey(checkKeyValue(t.key.range, item[t.key.range.name], where)) : EMPTY;
  return { table: t.name, pk, sk };
}

/** Where the item a `Key` names lives: the key must hold exactly the table's key attributes. */
export function refOfKey(t: TableRecord, key: Item): ItemRef {
  if (Object.keys(key).length !== keyNames(t.key).length) throw DynamoDbErrors.validation('The provided key element does not match the schema');
  return refOfItem(t, key, 'key');
}

/** The primary key attributes of an item. */
export function keyOf(t: TableRecord, item: Item): Item {
  const out: Item = {};
  for (const name of keyNames(t.key)) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

/** Secondary-index keys of an item must have the index's types and not be empty. */
export function checkIndexKeys(t: TableRecord, item: Item): void {
  for (const index of t.indexes) {
    for (const attr of [index.key.hash, index.key.range]) {
      const v = attr && item[attr.name];
      if (!attr || v === undefined) continue;
      if (typeOf(v) !== attr.type) {
        throw DynamoDbErrors.invalidParameter(`Type mismatch for Index Key ${attr.name} Expected: ${attr.type} Actual: ${typeOf(v)} IndexName: ${index.name}`);
      }
      if (('S' in v && v.S === '') || ('B' in v && v.B.length === 0)) {
        throw DynamoDbErrors.validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index.name}, IndexKey: ${attr.name}`,
        );
      }
    }
  }
}

/** The item's row in one index, or undefined when the item lacks the index's key (a sparse index). */
export function indexRowOf(t: TableRecord, index: IndexDefinition, item: Item): { pk: Buffer; sk: Buffer; item: Item } | undefined {
  const h = item[index.key.hash.name];
  const r = index.key.range ? item[index.key.range.name] : undefined;
  if (h === undefined || (index.key.range && r === undefined)) return undefined;
  const names = projectedNames(t, index);
  const projected: Item = {};
  if (names === 'ALL') Object.assign(projected, item);
  else for (const n of names) if (item[n] !== undefined) projected[n] = item[n]!;
  return { pk: encodeKey(h), sk: r ? encodeKey(r) : EMPTY, item: projected };
}
