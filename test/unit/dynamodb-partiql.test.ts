/** PartiQL statements turned into DynamoDB's expressions: the placeholders and expression text each yields. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Statement } from '../../src/services/dynamodb/partiql/ast.js';
import { parseStatement } from '../../src/services/dynamodb/partiql/parser.js';
import { AwsError } from '../../src/wire/errors/core.js';

const where = (s: Statement) => ('where' in s && s.where ? s.where : assert.fail('no WHERE'));

describe('PartiQL for DynamoDB', () => {
  it('names every attribute and value by placeholder, keeping the clause’s logic', () => {
    const s = parseStatement(`select a.b[2], "c d" from "T"."Idx" where ("x" = 'it''s' or NOT y <> -1.5e2) and z in [1, 'two'] and w between ? and 3 and v is not missing and u is null`, [{ N: '0' }]);
    assert.equal(s.kind, 'select');
    if (s.kind !== 'select') return;
    assert.deepEqual([s.table, s.index, s.projection], ['T', 'Idx', '#p0.#p1[2], #p2']);
    assert.deepEqual(s.names, { '#p0': 'a', '#p1': 'b', '#p2': 'c d', '#p3': 'x', '#p4': 'y', '#p5': 'z', '#p6': 'w', '#p7': 'v', '#p8': 'u' });
    assert.deepEqual(s.values, { ':p0': { S: "it's" }, ':p1': { N: '-1.5e2' }, ':p2': { N: '1' }, ':p3': { S: 'two' }, ':p4': { N: '0' }, ':p5': { N: '3' }, ':p6': { S: 'NULL' } });
    assert.equal(
      where(s).text,
      '(((((#p3 = :p0) OR (NOT (#p4 <> :p1))) AND (#p5 IN (:p2, :p3))) AND (#p6 BETWEEN :p4 AND :p5)) AND (attribute_exists(#p7))) AND (attribute_type(#p8, :p6))',
    );
    assert.deepEqual([...where(s).equalities.keys()], [], 'an equality under OR binds nothing');
  });

  it('collects the key equalities ANDed at the top, either way round, with their values', () => {
    const s = parseStatement(`DELETE FROM t WHERE pk = ? AND 5 = sk AND size(tags) > 2`, [{ S: 'p' }]);
    assert.deepEqual([...where(s).equalities].map(([k, e]) => [k, e.raw]), [['pk', { S: 'p' }], ['sk', { N: '5' }]]);
  });

  it('turns SET, set_add, set_delete and REMOVE into one update expression', () => {
    const s = parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [{'k': <<1, 2>>}]) SET c = set_add(c, <<'x'>>) SET d = set_delete(d, <<'y'>>) REMOVE e.f, g[0] WHERE pk = 'k' RETURNING MODIFIED OLD *`);
    assert.equal(s.kind, 'update');
    if (s.kind !== 'update') return;
    assert.equal(s.update, 'SET #p0 = #p0 + :p0, #p1 = list_append(#p1, :p1) REMOVE #p4.#p5, #p6[0] ADD #p2 :p2 DELETE #p3 :p3');
    assert.deepEqual(s.values[':p1'], { L: [{ M: { k: { NS: ['1', '2'] } } }] });
    assert.equal(s.returning, 'UPDATED_OLD');
  });

  it("refuses what DynamoDB cannot parse, in its words", () => {
    const refused = (text: string, params: unknown[] = []) => {
      try {
        parseStatement(text, params);
      } catch (err) {
        assert.ok(err instanceof AwsError);
        return err.message;
      }
      return assert.fail(`parsed: ${text}`);
    };
    assert.equal(refused('DROP TABLE t'), "Statement wasn't well formed, can't be processed: Expected data manipulation");
    assert.equal(refused(`SELECT * FROM t WHERE a = 1 b`), "Statement wasn't well formed, can't be processed: Unexpected token 'b' at column 29");
    assert.equal(refused(`INSERT INTO t VALUE {'a': <<1, 'x'>>}`), "Statement wasn't well formed, can't be processed: a set holds strings, numbers or binaries, all of one type");
    assert.equal(refused(`UPDATE t SET a = set_add(b, <<1>>) WHERE pk = 1`), "Statement wasn't well formed, can't be processed: set_add must name the attribute it is assigned to");
    assert.equal(refused(`DELETE FROM t WHERE pk = 1 RETURNING ALL NEW *`), "Statement wasn't well formed, can't be processed: DELETE can only return ALL OLD *");
    assert.equal(refused(`SELECT * FROM t WHERE a = ? AND b = ?`, [{ S: 'x' }]), "Number of parameters in request and statement don't match.");
  });
});
