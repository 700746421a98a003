import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateSelection, selectRoute } from '../../src/services/apigatewayv2/websocket/route-selection.js';

describe('WebSocket route selection', () => {
  const keys = new Set(['$connect', '$disconnect', '$default', 'sendmessage', 'chat:join', '7']);

  it('evaluates $request.body paths, nested ones, and ${} references within literal text', () => {
    assert.equal(evaluateSelection('$request.body.action', '{"action":"sendmessage"}'), 'sendmessage');
    assert.equal(evaluateSelection('$request.body.meta.type', '{"meta":{"type":"x"}}'), 'x');
    assert.equal(evaluateSelection('${request.body.ns}:${request.body.op}', '{"ns":"chat","op":"join"}'), 'chat:join');
    assert.equal(evaluateSelection('$request.body.n', '{"n":7}'), '7');
    assert.equal(evaluateSelection('$request.body.action', '{"other":1}'), undefined);
    assert.equal(evaluateSelection('$request.body.action', '{"action":{"x":1}}'), undefined);
    assert.equal(evaluateSelection('$request.body.action', 'plain text'), undefined);
    assert.equal(evaluateSelection('$request.body.a.b', '[1,2]'), undefined);
  });

  it('falls back to $default, never selects $connect or $disconnect, and gives none without $default', () => {
    assert.equal(selectRoute('$request.body.action', '{"action":"sendmessage"}', keys), 'sendmessage');
    assert.equal(selectRoute('${request.body.ns}:${request.body.op}', '{"ns":"chat","op":"join"}', keys), 'chat:join');
    assert.equal(selectRoute('$request.body.action', '{"action":"$connect"}', keys), '$default');
    assert.equal(selectRoute('$request.body.action', '{"action":"nope"}', keys), '$default');
    assert.equal(selectRoute('$request.body.action', undefined, keys), '$default');
    assert.equal(selectRoute('$request.body.action', '{"action":"nope"}', new Set(['sendmessage'])), undefined);
  });
});
