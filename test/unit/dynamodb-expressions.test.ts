/**
 * The expression parser and evaluator against the examples of DynamoDB's developer guide ("Using
 * expressions in DynamoDB": condition, update and projection expressions on its ProductCatalog item),
 * plus the edges where DynamoDB's semantics are easy to get wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDecimal, formatDecimal, parseDecimal, type Decimal } from '../../src/services/dynamodb/decimal.js';
import { ExpressionContext } from '../../src/services/dynamodb/expressions/context.js';
import { evaluate } from '../../src/services/dynamodb/expressions/evaluate.js';
import { parseCondition, parseProjection, parseUpdate } from '../../src/services/dynamodb/expressions/parser.js';
import { project } from '../../src/services/dynamodb/expressions/projection.js';
import { applyUpdate, checkOverlaps } from '../../src/services/dynamodb/expressions/update.js';
import { encodeKey } from '../../src/services/dynamodb/key-codec.js';
import type { Item, Value } from '../../src/services/dynamodb/values.js';

/** The developer guide's ProductCatalog item 123. */
const product = (): Item => ({
  Id: { N: '123' },
  Title: { S: 'Bicycle 123' },
  Description: { S: '123 description' },
  BicycleType: { S: 'Hybrid' },
  Brand: { S: 'Brand-Company C' },
  Price: { N: '500' },
  Color: { SS: ['Red', 'Black'] },
  ProductCategory: { S: 'Bicycle' },
  InStock: { BOOL: true },
  QuantityOnHand: { NULL: true },
  RelatedItems: { L: [{ N: '341' }, { N: '472' }, { N: '649' }] },
  Pictures: { M: { FrontView: { S: 'http://example.com/products/123_front.jpg' }, RearView: { S: 'http://example.com/products/123_rear.jpg' }, SideView: { S: 'http://example.com/products/123_left_side.jpg' } } },
  ProductReviews: { M: { FiveStar: { L: [{ S: 'Excellent! Can\'t recommend it highly enough! Buy it!' }, { S: 'Do yourself a favor and buy this.' }] }, OneStar: { L: [{ S: 'Terrible product! Do not buy this.' }] } } },
  Comment: { S: 'This product sells out quickly during the summer' },
  'Safety.Warning': { S: 'Always wear a helmet' },
});

const ctx = (values: Record<string, Value> = {}, names?: Record<string, string>) => new ExpressionContext(names, Object.keys(values).length ? values : undefined);
const holds = (expr: string, values: Record<string, Value> = {}, names?: Record<string, string>, item = product()) => evaluate(parseCondition(expr, 'ConditionExpression', ctx(values, names)), item);
const update = (expr: string, values: Record<string, Value> = {}, names?: Record<string, string>, item = product()) => {
  const actions = parseUpdate(expr, ctx(values, names));
  checkOverlaps(actions);
  return applyUpdate(item, actions);
};
const validation = (fn: () => unknown, message: RegExp) => assert.throws(fn, (e: Error) => e.name === 'ValidationException' && message.test(e.message));

describe('DynamoDB expressions: the developer guide examples', () => {
  it('condition expressions: comparisons, IN, BETWEEN, functions, AND/OR/NOT precedence', () => {
    assert.ok(holds('ProductCategory IN (:cat1, :cat2) and Price between :lo and :hi', { ':cat1': { S: 'Sporting Goods' }, ':cat2': { S: 'Bicycle' }, ':lo': { N: '500' }, ':hi': { N: '600' } }));
    assert.ok(holds('attribute_exists(Pictures.SideView)'));
    assert.ok(holds('attribute_not_exists(Manufacturer)'));
    assert.ok(holds('attribute_type(ProductReviews.FiveStar, :v_sub)', { ':v_sub': { S: 'L' } }));
    assert.ok(holds('begins_with(Pictures.FrontView, :v_sub)', { ':v_sub': { S: 'http://' } }));
    assert.ok(holds('contains(Color, :v_sub)', { ':v_sub': { S: 'Red' } }));
    assert.ok(holds('size(Pictures.FrontView) > :v_sub', { ':v_sub': { N: '40' } }));
    assert.ok(holds('size(Color) = :two', { ':two': { N: '2' } }));
    assert.ok(holds('#sw = :v', { ':v': { S: 'Always wear a helmet' } }, { '#sw': 'Safety.Warning' }), 'a name with a dot goes through a placeholder');
    assert.ok(holds('Price < :p OR NOT InStock = :f AND Brand = :none', { ':p': { N: '1000' }, ':f': { BOOL: false }, ':none': { S: 'none' } }), 'AND binds tighter than OR');
    assert.ok(!holds('(Price < :p OR NOT InStock = :f) AND Brand = :none', { ':p': { N: '1000' }, ':f': { BOOL: false }, ':none': { S: 'none' } }));
    assert.ok(holds('RelatedItems[1] = :n', { ':n': { N: '472.0' } }), 'numbers compare by value');
  });

  it('update expressions: SET (lists, nested maps, arithmetic, list_append, if_not_exists), REMOVE, ADD, DELETE', () => {
    let item = update('SET ProductCategory = :c, Price = :p', { ':c': { S: 'Hardware' }, ':p': { N: '60' } });
    assert.deepEqual([item['ProductCategory'], item['Price']], [{ S: 'Hardware' }, { N: '60' }]);
    item = update('SET RelatedItems[1] = :ri', { ':ri': { S: 'Nails' } });
    assert.deepEqual(item['RelatedItems'], { L: [{ N: '341' }, { S: 'Nails' }, { N: '649' }] });
    item = update('SET #pr.#5star[1] = :r5, #pr.#3star = :r3', { ':r5': { S: 'Very happy with my purchase' }, ':r3': { L: [{ S: 'Just OK - not that great' }] } }, { '#pr': 'ProductReviews', '#5star': 'FiveStar', '#3star': 'ThreeStar' });
    assert.deepEqual((item['ProductReviews'] as { M: Item }).M['FiveStar'], { L: [{ S: 'Excellent! Can\'t recommend it highly enough! Buy it!' }, { S: 'Very happy with my purchase' }] });
    assert.deepEqual((item['ProductReviews'] as { M: Item }).M['ThreeStar'], { L: [{ S: 'Just OK - not that great' }] });
    assert.deepEqual(update('SET Price = Price - :p', { ':p': { N: '15' } })['Price'], { N: '485' });
    assert.deepEqual(update('SET #ri = list_append(#ri, :vals)', { ':vals': { L: [{ S: 'Screwdriver' }, { S: 'Hacksaw' }] } }, { '#ri': 'RelatedItems' })['RelatedItems'], {
      L: [{ N: '341' }, { N: '472' }, { N: '649' }, { S: 'Screwdriver' }, { S: 'Hacksaw' }],
    });
    assert.deepEqual(update('SET Price = if_not_exists(Price, :p)', { ':p': { N: '100' } })['Price'], { N: '500' });
    item = update('REMOVE Brand, InStock, QuantityOnHand');
    assert.deepEqual([item['Brand'], item['InStock'], item['QuantityOnHand']], [undefined, undefined, undefined]);
    assert.deepEqual(update('REMOVE RelatedItems[1], RelatedItems[2]')['RelatedItems'], { L: [{ N: '341' }] }, 'indexes name the list before the removals');
    assert.deepEqual(update('ADD QuantityOnHand :q', { ':q': { N: '5' } }, undefined, { Id: { N: '1' } })['QuantityOnHand'], { N: '5' }, 'ADD to a missing number starts from 0');
    assert.deepEqual(update('ADD Color :c', { ':c': { SS: ['Orange', 'Purple'] } })['Color'], { SS: ['Red', 'Black', 'Orange', 'Purple'] });
    assert.deepEqual(update('DELETE Color :p', { ':p': { SS: ['Yellow', 'Purple', 'Red', 'Black'] } })['Color'], undefined, 'an emptied set is removed');
  });

  it('projection expressions: top-level, nested and list elements', () => {
    const paths = parseProjection('Description, RelatedItems[0], ProductReviews.FiveStar', ctx());
    assert.deepEqual(project(product(), paths), {
      Description: { S: '123 description' },
      RelatedItems: { L: [{ N: '341' }] },
      ProductReviews: { M: { FiveStar: (product()['ProductReviews'] as { M: Item }).M['FiveStar']! } },
    });
  });
});

describe('DynamoDB expressions: edges', () => {
  it('missing attributes: comparisons are false, <> is true, functions on them are false', () => {
    assert.ok(!holds('Absent = :v', { ':v': { S: 'x' } }));
    assert.ok(holds('Absent <> :v', { ':v': { S: 'x' } }));
    assert.ok(!holds('Absent < :v', { ':v': { S: 'x' } }));
    assert.ok(!holds('begins_with(Absent, :v)', { ':v': { S: 'x' } }));
    assert.ok(!holds('Price < :s', { ':s': { S: 'x' } }), 'ordering across types is false, not an error');
  });

  it('keywords are case-insensitive; reserved words and undefined placeholders are refused', () => {
    assert.ok(holds('price_x = :v or Price between :a AND :b', { ':v': { N: '1' }, ':a': { N: '1' }, ':b': { N: '999' } }));
    validation(() => holds('Name = :v', { ':v': { S: 'x' } }), /reserved keyword; reserved keyword: Name/);
    validation(() => holds('#missing = :v', { ':v': { S: 'x' } }), /An expression attribute name used in the document path is not defined; attribute name: #missing/);
    validation(() => holds('Price = :nope'), /attribute value: :nope/);
    validation(() => holds('Price = = :v', { ':v': { N: '1' } }), /Syntax error; token: "="/);
    validation(() => holds('size(Price)'), /Syntax error/);
    validation(() => holds('foo(Price)'), /Invalid function name; function: foo/);
    validation(() => parseUpdate('SET a = :v SET b = :v', ctx({ ':v': { N: '1' } })), /The "SET" section can only be used once/);
    validation(() => update('SET a = :v, a.b = :v', { ':v': { M: {} } }), /Two document paths overlap/);
    validation(() => update('ADD Title :v', { ':v': { N: '1' } }), /incorrect data type/);
    validation(() => update('SET Price = Price + :v', { ':v': { S: '1' } }), /incorrect data type/);
    const unused = ctx({ ':a': { N: '1' }, ':b': { N: '2' } });
    parseCondition('Price = :a', 'ConditionExpression', unused);
    validation(() => unused.assertAllUsed(), /^Value provided in ExpressionAttributeValues unused in expressions: keys: \{:b\}$/);
  });

  it('numbers: 38 digits exact, canonical form, range limits', () => {
    const d = (s: string) => parseDecimal(s) as Decimal;
    assert.equal(compareDecimal(d('99999999999999999999999999999999999999'), d('99999999999999999999999999999999999998')), 1);
    assert.equal(compareDecimal(d('0.1'), d('1e-1')), 0);
    assert.equal(formatDecimal(d('-000123.4500')), '-123.45');
    assert.equal(formatDecimal(d('1.5E3')), '1500');
    assert.equal(parseDecimal('1'.repeat(39)), 'precision');
    assert.equal(parseDecimal('1e126'), 'overflow');
    assert.equal(parseDecimal('1e-131'), 'underflow');
    assert.equal(parseDecimal('12a'), 'not-a-number');
    const sum = update('SET n = n + :d', { ':d': { N: '0.00000000000000000000000000000000000001' } }, undefined, { n: { N: '0.1' } });
    assert.deepEqual(sum['n'], { N: '0.10000000000000000000000000000000000001' });
  });

  it('key encodings sort as DynamoDB sorts: numbers by value, strings and binaries by bytes', () => {
    const sorted = (values: Value[]) => [...values].sort((a, b) => Buffer.compare(encodeKey(a), encodeKey(b)));
    const ns = ['-1e125', '-100', '-10.5', '-10', '-1', '-0.001', '0', '1e-130', '0.5', '1', '1.01', '9', '10', '99999999999999999999999999999999999999', '1e125'];
    assert.deepEqual(sorted([...ns].reverse().map((N) => ({ N }))).map((v) => (v as { N: string }).N), ns);
    const ss = ['A', 'Z', 'a', 'aa', 'b', 'é', '日本'];
    assert.deepEqual(sorted([...ss].reverse().map((S) => ({ S }))).map((v) => (v as { S: string }).S), ss);
    const bs = [Buffer.from([0]), Buffer.from([0, 0]), Buffer.from([1]), Buffer.from([255])];
    assert.deepEqual(sorted([...bs].reverse().map((B) => ({ B }))).map((v) => (v as { B: Buffer }).B), bs);
  });
});
