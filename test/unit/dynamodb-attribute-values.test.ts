import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkItem, checkValue } from '../../src/services/dynamodb/values.js';

// A request's attribute values as DynamoDB checks them (the SDK v3 sends one type per value, so the
// refusals of none or two are reached by other clients and by the raw protocol).
describe('DynamoDB attribute values from a request', () => {
  it('takes exactly one type, ignoring members that are undefined', () => {
    assert.deepEqual(checkValue({ S: 'x' }), { S: 'x' });
    assert.deepEqual(checkValue({ S: undefined, BOOL: false }), { BOOL: false });
    assert.deepEqual(checkItem({ a: { N: '1.50' }, m: { M: { l: { L: [{ NULL: true }] } } } }), { a: { N: '1.5' }, m: { M: { l: { L: [{ NULL: true }] } } } });
  });

  it('refuses a value with no type or with two, in DynamoDB words', () => {
    for (const raw of [{}, { S: undefined }, null, 'x']) {
      assert.throws(() => checkValue(raw), /Supplied AttributeValue is empty, must contain exactly one of the supported datatypes/);
    }
    assert.throws(() => checkValue({ S: 'x', N: '1' }), /Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes/);
  });
});
