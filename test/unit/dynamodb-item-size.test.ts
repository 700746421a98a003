import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkItemSize, itemSize, MAX_ITEM_BYTES } from '../../src/services/dynamodb/values.js';

// The developer guide's "Item sizes and formats": names and strings by their UTF-8 bytes, numbers one
// byte per two significant digits plus one, 3 bytes for a map or list and 1 per element, 1 for NULL
// and BOOL.
describe('DynamoDB item sizes', () => {
  it('counts names and strings in UTF-8 bytes, binaries by length', () => {
    assert.equal(itemSize({ pk: { S: 'abc' } }), 5);
    assert.equal(itemSize({ é: { S: 'ü' } }), 4);
    assert.equal(itemSize({ b: { B: Buffer.from([1, 2, 3]) } }), 4);
    assert.equal(itemSize({ ss: { SS: ['a', 'bc'] }, bs: { BS: [Buffer.alloc(2), Buffer.alloc(5)] } }), 2 + 3 + 2 + 7);
  });

  it('counts a number by its significant digits, without sign, point or leading zeros', () => {
    assert.equal(itemSize({ n: { N: '12345' } }), 1 + 4);
    assert.equal(itemSize({ n: { N: '-0.0012' } }), 1 + 2);
    assert.equal(itemSize({ n: { N: '0' } }), 1 + 1);
    assert.equal(itemSize({ n: { N: '1234' } }), 1 + 3);
    assert.equal(itemSize({ ns: { NS: ['1', '-22.5'] } }), 2 + 2 + 3);
  });

  it('adds 3 bytes for a map or list and 1 for each element', () => {
    assert.equal(itemSize({ m: { M: { a: { S: 'xy' } } } }), 1 + 3 + (1 + 1 + 2));
    assert.equal(itemSize({ l: { L: [{ N: '1' }, { NULL: true }] } }), 1 + 3 + (1 + 2) + (1 + 1));
    assert.equal(itemSize({ m: { M: { inner: { L: [{ BOOL: true }] } } } }), 1 + 3 + (1 + 5 + 3 + (1 + 1)));
  });

  it('refuses an item over 400 KB, names included', () => {
    assert.doesNotThrow(() => checkItemSize({ k: { S: 'x'.repeat(MAX_ITEM_BYTES - 1) } }));
    assert.throws(() => checkItemSize({ kk: { S: 'x'.repeat(MAX_ITEM_BYTES - 1) } }), /Item size has exceeded the maximum allowed size/);
  });
});
