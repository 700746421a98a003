import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlarmRuleError, parseAlarmRule, referencedAlarms, ruleHolds } from '../../src/alarms/alarm-rule.js';
import type { AlarmState } from '../../src/alarms/model.js';

const holds = (rule: string, states: Record<string, AlarmState>) => ruleHolds(parseAlarmRule(rule), (a) => states[a]);
const refusal = (rule: string): string => {
  try {
    parseAlarmRule(rule);
  } catch (err) {
    assert.ok(err instanceof AlarmRuleError, String(err));
    return err.message;
  }
  return assert.fail(`${rule} was accepted`);
};

describe('composite alarm rules', () => {
  it('reads the three state functions over bare, quoted and ARN names', () => {
    assert.deepEqual(parseAlarmRule('ALARM(cpu)'), { kind: 'state', state: 'ALARM', alarm: 'cpu' });
    assert.deepEqual(parseAlarmRule('OK("disk space")'), { kind: 'state', state: 'OK', alarm: 'disk space' });
    const arn = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:errors';
    assert.deepEqual(parseAlarmRule(` INSUFFICIENT_DATA( ${arn} ) `), { kind: 'state', state: 'INSUFFICIENT_DATA', alarm: arn });
  });

  it('NOT binds tighter than AND, AND tighter than OR; parentheses group', () => {
    const s = { a: 'ALARM', b: 'OK', c: 'ALARM' } as const;
    assert.equal(holds('ALARM(a) OR ALARM(b) AND ALARM(c)', s), true, 'a OR (b AND c)');
    assert.equal(holds('(ALARM(a) OR ALARM(b)) AND NOT ALARM(c)', s), false);
    assert.equal(holds('NOT ALARM(b) AND ALARM(c)', s), true, '(NOT b) AND c');
    assert.equal(holds('NOT (ALARM(a) AND ALARM(c))', s), false);
    assert.equal(holds('NOT NOT ALARM(a)', s), true);
    assert.equal(holds('ALARM(a) AND NOT OK(b)', s), false);
    assert.equal(holds('ALARM(a) AND NOT OK(b)', { ...s, b: 'INSUFFICIENT_DATA' }), true);
  });

  it('TRUE and FALSE; an alarm that no longer exists is in no state', () => {
    assert.equal(holds('TRUE', {}), true);
    assert.equal(holds('FALSE OR TRUE AND TRUE', {}), true);
    assert.equal(holds('ALARM(gone)', {}), false);
    assert.equal(holds('NOT OK(gone)', {}), true);
  });

  it('lists each referenced alarm once', () => {
    assert.deepEqual(referencedAlarms(parseAlarmRule('ALARM(a) OR (OK(b) AND NOT ALARM("a")) OR TRUE')), ['a', 'b']);
    assert.deepEqual(referencedAlarms(parseAlarmRule('FALSE')), []);
  });

  it("refuses what is not a rule, saying where as CloudWatch does", () => {
    assert.equal(refusal('()'), "Unsupported token ')' at char 1");
    assert.equal(refusal('ALARM(a) AND'), 'Unexpected end of rule at char 12');
    assert.equal(refusal('ALARM(my alarm)'), "Unsupported token 'alarm' at char 9, must be: ')'");
    assert.equal(refusal('alarm(a)'), "Unsupported token 'alarm' at char 0");
    assert.equal(refusal('ALARM(a) XOR ALARM(b)'), "Unsupported token 'XOR' at char 9");
    assert.equal(refusal('ALARM a'), "Unsupported token 'a' at char 6, must be: '('");
    assert.equal(refusal('(ALARM(a)'), 'Unexpected end of rule at char 9');
    assert.equal(refusal('ALARM("a)'), 'Unterminated quoted name at char 6');
    assert.equal(refusal('ALARM("")'), 'Empty alarm name at char 6');
    assert.equal(refusal('OK()'), "Unsupported token ')' at char 3, must be: an alarm name");
  });
});
