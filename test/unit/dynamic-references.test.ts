import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReferences, resolveEnvironment, UnresolvedReference, type ReferenceLookups } from '../../src/security/dynamic-references.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-AbCdEf';

describe('dynamic references', () => {
  it("parses CloudFormation's forms, secret ARNs with their colons included", () => {
    assert.deepEqual(parseReferences(`x{{resolve:secretsmanager:${ARN}:SecretString:password:AWSPREVIOUS}}y{{resolve:ssm:/a/b:3}}`), [
      { service: 'secretsmanager', text: `{{resolve:secretsmanager:${ARN}:SecretString:password:AWSPREVIOUS}}`, secretId: ARN, jsonKey: 'password', stage: 'AWSPREVIOUS' },
      { service: 'ssm', text: '{{resolve:ssm:/a/b:3}}', name: '/a/b', version: '3' },
    ]);
    assert.deepEqual(parseReferences('{{resolve:secretsmanager:db:SecretString:::v-1}}'), [
      { service: 'secretsmanager', text: '{{resolve:secretsmanager:db:SecretString:::v-1}}', secretId: 'db', versionId: 'v-1' },
    ]);
    assert.deepEqual(parseReferences('{{resolve:ssm-secure:/p:latest}}'), [{ malformed: '{{resolve:ssm-secure:/p:latest}}' }]);
    assert.deepEqual(parseReferences('{{resolve:secretsmanager:db:SecretBinary}}'), [{ malformed: '{{resolve:secretsmanager:db:SecretBinary}}' }]);
  });

  it('resolves through the lookups, leaving other variables alone; the first failure names the variable and reference', async () => {
    const calls: string[] = [];
    const lookups: ReferenceLookups = {
      async secretString(id, stage, version) {
        calls.push(`secret ${id} ${stage} ${version}`);
        if (id === 'gone') throw new Error("can't find it");
        return '{"password":"pw","port":5432}';
      },
      async parameter(name, version, secure) {
        calls.push(`param ${name} ${version} ${secure}`);
        return `value of ${name}`;
      },
    };
    const resolved = await resolveEnvironment(
      { A: 'plain', B: '{{resolve:secretsmanager:db:SecretString:password}}', C: 'port={{resolve:secretsmanager:db:SecretString:port}}', D: '{{resolve:ssm-secure:/p}}', E: '{{resolve:ssm:/q}}' },
      lookups,
    );
    assert.deepEqual(resolved.env, { A: 'plain', B: 'pw', C: 'port=5432', D: 'value of /p', E: 'value of /q' });
    // The values secret references gave, to mask in logs; a plain ssm parameter is no secret.
    assert.deepEqual(resolved.secrets, ['pw', '5432', 'value of /p']);
    assert.deepEqual(calls, ['secret db undefined undefined', 'secret db undefined undefined', 'param /p undefined true', 'param /q undefined false']);
    await assert.rejects(resolveEnvironment({ X: '{{resolve:secretsmanager:gone}}' }, lookups), (err: unknown) => {
      assert.ok(err instanceof UnresolvedReference);
      assert.deepEqual([err.variable, err.reference, err.reason], ['X', '{{resolve:secretsmanager:gone}}', "can't find it"]);
      return true;
    });
    await assert.rejects(resolveEnvironment({ Y: '{{resolve:secretsmanager:db:SecretString:nokey}}' }, lookups), /has no key nokey/);
  });
});
