/** CloudWatch Logs filter patterns, on the kinds of examples AWS's filter-pattern documentation gives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilterPattern, FilterPatternError, requiredTerm } from '../../src/telemetry/filter-pattern/index.js';

const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

describe('log filter patterns', () => {
  it('terms: all, any (?), none (-), quoted phrases, case sensitive, empty matches all', () => {
    assert.equal(matches('', 'anything'), true);
    assert.equal(matches('ERROR', '[ERROR] disk full'), true);
    assert.equal(matches('ERROR', '[error] disk full'), false);
    assert.equal(matches('ERROR ARGUMENTS', 'ERROR: bad ARGUMENTS'), true);
    assert.equal(matches('ERROR ARGUMENTS', 'ERROR: bad input'), false);
    assert.equal(matches('?ERROR ?WARN', 'WARN low memory'), true);
    assert.equal(matches('?ERROR ?WARN', 'INFO fine'), false);
    assert.equal(matches('ERROR -Exiting', 'ERROR retrying'), true);
    assert.equal(matches('ERROR -Exiting', 'ERROR Exiting now'), false);
    assert.equal(matches('-DEBUG', 'INFO x'), true);
    assert.equal(matches('"Failed to process"', 'Failed to process order 7'), true);
    assert.equal(matches('"Failed to process"', 'Failed to send'), false);
    assert.equal(matches('%ERROR [0-9]+%', 'ERROR 42 at x'), true);
    assert.equal(matches('%ERROR [0-9]+%', 'ERROR x'), false);
  });

  it('JSON: strings with wildcards, numbers, && and || with parentheses, arrays', () => {
    const event = JSON.stringify({
      eventType: 'UpdateTrail',
      sourceIPAddress: '123.123.0.7',
      bandwidth: 80,
      latency: 600,
      user: { id: 1, email: 'John.Doe@example.com' },
      users: [{ email: 'a@example.com' }],
      coordinates: [[0, 10]],
      level: 'ERROR',
      flag: true,
      off: false,
      nothing: null,
    });
    assert.equal(matches('{ $.eventType = "UpdateTrail" }', event), true);
    assert.equal(matches('{ $.eventType = UpdateTrail }', event), true);
    assert.equal(matches('{ $.eventType != "UpdateTrail" }', event), false);
    assert.equal(matches('{ $.sourceIPAddress = 123.123.* }', event), true);
    assert.equal(matches('{ $.sourceIPAddress != 123.123.* }', event), false);
    assert.equal(matches('{ $.bandwidth > 75 }', event), true);
    assert.equal(matches('{ $.latency <= 500 }', event), false);
    assert.equal(matches('{ $.bandwidth = 80 }', event), true);
    assert.equal(matches('{ ($.user.id = 1) && ($.users[0].email = "a@example.com") }', event), true);
    assert.equal(matches('{ $.user.email = "nobody" || $.coordinates[0][1] = 10 && $.level = "ERROR" }', event), true);
    assert.equal(matches('{ ($.user.email = "nobody" || $.coordinates[0][1] = 10) && $.level = "INFO" }', event), false);
    assert.equal(matches('{ $.level = %ERR.*% }', event), true);
    assert.equal(matches('{ $.flag IS TRUE }', event), true);
    assert.equal(matches('{ $.off IS FALSE }', event), true);
    assert.equal(matches('{ $.nothing IS NULL }', event), true);
    assert.equal(matches('{ $.missing NOT EXISTS }', event), true);
    assert.equal(matches('{ $.level NOT EXISTS }', event), false);
    assert.equal(matches('{ $.level = * }', event), true);
    assert.equal(matches('{ $.missing = * }', event), false);
    // A line that is not JSON never matches a JSON pattern.
    assert.equal(matches('{ $.level = "ERROR" }', 'level=ERROR'), false);
    // Lambda's JSON lines may follow a prefix: the JSON object is what is matched.
    assert.equal(matches('{ $.level = "ERROR" }', `2026-12-05T00:00:00Z\t${event}`), true);
  });

  it('space-delimited: named fields, ..., conditions with wildcards, numbers, && and ||', () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534';
    assert.equal(matches('[ip, user, username, timestamp, request, status_code, bytes]', line), true);
    assert.equal(matches('[ip, user, username, timestamp, request = "*gif*", status_code = 4*, bytes]', line), true);
    assert.equal(matches('[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]', line), false);
    assert.equal(matches('[..., status_code = 404, bytes]', line), true);
    assert.equal(matches('[ip, ..., status_code = 5*, bytes]', line), false);
    assert.equal(matches('[ip, user, ..., status_code = 4* || status_code = 5*, size > 1000]', line), true);
    assert.equal(matches('[ip, user, ..., status_code = 4* && size < 1000]', line), false);
    assert.equal(matches('[ip = 127.0.0.*, ...]', line), true);
    // Without ..., the event has exactly as many fields as the pattern.
    assert.equal(matches('[ip, user]', line), false);
  });

  it('names a term every match contains, for term patterns only', () => {
    assert.equal(requiredTerm('?a b -c'), 'b');
    assert.equal(requiredTerm('?a ?b'), undefined);
    assert.equal(requiredTerm('[ip, status = 5*]'), undefined);
    assert.equal(requiredTerm('{ $.a = 1 }'), undefined);
  });

  it('refuses what CloudWatch Logs refuses, never matching nothing in silence', () => {
    for (const bad of ['{ $.level = "ERROR" ', '{ level = "x" }', '{ $.a > }', '[a, b', '[a = ]', '"unclosed', '{ $.a = "x" && }', '%(group)%', '{ $.a IS MAYBE }']) {
      assert.throws(() => compileFilterPattern(bad), FilterPatternError, bad);
    }
  });
});
