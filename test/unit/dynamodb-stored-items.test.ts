import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStoredItem, serializeItem, type Item } from '../../src/services/dynamodb/values.js';

describe('DynamoDB items as the store keeps them', () => {
  it('reads back every type as it was written, binaries as Buffers', () => {
    const item: Item = {
      s: { S: 'text' },
      n: { N: '-12.5' },
      b: { B: Buffer.from([0, 1, 255]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
      bs: { BS: [Buffer.from('x'), Buffer.from('y')] },
      m: { M: { inner: { L: [{ NULL: true }, { BOOL: false }, { B: Buffer.from('z') }] } } },
    };
    assert.deepEqual(parseStoredItem(serializeItem(item)), item);
  });

  it('refuses stored text that is not an item', () => {
    for (const text of [
      '[]',
      '"x"',
      '{"a":{}}',
      '{"a":{"S":"x","N":"1"}}',
      '{"a":{"X":"x"}}',
      '{"a":{"S":1}}',
      '{"a":{"SS":["x",2]}}',
      '{"a":{"M":[]}}',
      '{"a":{"L":{}}}',
      '{"a":{"NULL":false}}',
      '{"a":{"BOOL":"true"}}',
      '{"a":{"M":{"b":{"N":null}}}}',
      '{"a":{"L":[{"BS":"eA=="}]}}',
    ]) {
      assert.throws(() => parseStoredItem(text), /stored item is malformed/, text);
    }
  });
});
