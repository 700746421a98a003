import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, maskedValues, maskingSink, maskLine } from '../../src/telemetry/log-masking.js';
import type { LogRecord } from '../../src/storage/store.js';

describe('masking secret values in log lines', () => {
  it('masks each value and the string members of a JSON secret, longest first; leaves short values alone', () => {
    const values = maskedValues(['{"user":"app","password":"hunter22"}', 'tok3n-value', 'ab']);
    assert.deepEqual(values, ['{"user":"app","password":"hunter22"}', 'tok3n-value', 'hunter22']);
    assert.equal(maskLine('env {"user":"app","password":"hunter22"} and hunter22 and tok3n-value', values), `env ${MASK} and ${MASK} and ${MASK}`);
    assert.equal(maskLine('ab app nothing secret', values), 'ab app nothing secret');
  });

  it('a masking sink rewrites every line of a record and passes the rest on unchanged', () => {
    const seen: LogRecord[] = [];
    const sink = maskingSink({ append: (r) => seen.push(r) }, ['s3cr3t']);
    sink.append({ functionName: 'f', stream: 's', requestId: 'r', lines: [{ timestamp: 1, message: 'a s3cr3t b' }, { timestamp: 2, message: 'plain' }] });
    assert.deepEqual(seen, [{ functionName: 'f', stream: 's', requestId: 'r', lines: [{ timestamp: 1, message: `a ${MASK} b` }, { timestamp: 2, message: 'plain' }] }]);
  });
});
