/**
 * A stack's parameter values from what a caller gives: defaults, `UsePreviousValue`, the type
 * (lists, numbers, SSM parameter types resolved through SSM) and the constraints (AllowedValues,
 * AllowedPattern, Min/MaxLength, Min/MaxValue), with CloudFormation's messages.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { StackParameter } from '../model.js';

export interface GivenParameter {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

export interface ParameterValues {
  /** As stored: what was given or defaulted (an SSM type keeps the parameter's name, with `resolved` beside). */
  stored: StackParameter[];
  /** As templates read them: lists as arrays, SSM types resolved. */
  values: Record<string, string | string[]>;
}

type Declaration = Record<string, unknown>;
const bad = (message: string) => CloudFormationErrors.validation(message);
const SSM_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;
const isListType = (type: string): boolean => type === 'CommaDelimitedList' || type.startsWith('List<');

export async function resolveParameters(
  declarations: Readonly<Record<string, Declaration>>,
  given: readonly GivenParameter[],
  previous: readonly StackParameter[] | undefined,
  ssmValue: (name: string) => Promise<string>,
): Promise<ParameterValues> {
  const byKey = new Map(given.map((g) => [g.key, g]));
  const unknown = given.filter((g) => !(g.key in declarations)).map((g) => g.key);
  if (unknown.length > 0) throw bad(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const missing: string[] = [];
  const stored: StackParameter[] = [];
  const values: Record<string, string | string[]> = {};
  for (const [key, decl] of Object.entries(declarations)) {
    const type = String(decl['Type'] ?? '');
    if (!type) throw bad(`Template format error: Every Parameters object must contain a Type member.`);
    const g = byKey.get(key);
    let value: string | undefined;
    if (g?.usePreviousValue) {
      value = previous?.find((p) => p.key === key)?.value;
      if (value === undefined) throw bad(`Unable to use the previous value of parameter ${key}: the stack has none`);
    } else value = g?.value ?? (decl['Default'] === undefined ? undefined : String(decl['Default']));
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    const noEcho = decl['NoEcho'] === true || decl['NoEcho'] === 'true';
    const ssm = SSM_TYPE.exec(type);
    if (ssm) {
      const resolved = await ssmValue(value).catch((err: unknown) => {
        throw bad(`Parameters: [ssm:${value}] cannot be resolved: ${(err as Error).message}`);
      });
      stored.push({ key, value, ...(noEcho ? { noEcho } : {}), resolved });
      values[key] = isListType(ssm[1]!) ? resolved.split(',') : resolved;
      continue;
    }
    checkConstraints(key, type, decl, value);
    stored.push({ key, value, ...(noEcho ? { noEcho } : {}) });
    values[key] = isListType(type) ? (value === '' ? [] : value.split(',').map((v) => v.trim())) : value;
  }
  if (missing.length > 0) throw bad(`Parameters: [${missing.join(', ')}] must have values`);
  return { stored, values };
}

function checkConstraints(key: string, type: string, decl: Declaration, value: string): void {
  const describe = (fallback: string) => (typeof decl['ConstraintDescription'] === 'string' ? `Parameter '${key}' failed to satisfy constraint: ${decl['ConstraintDescription']}` : fallback);
  const items = isListType(type) ? value.split(',').map((v) => v.trim()) : [value];
  for (const item of items) {
    if (type === 'Number' || type === 'List<Number>') {
      const n = Number(item);
      if (item.trim() === '' || !Number.isFinite(n)) throw bad(`Parameter '${key}' must be a number`);
      if (decl['MinValue'] !== undefined && n < Number(decl['MinValue'])) throw bad(describe(`Parameter '${key}' must be a number not less than ${String(decl['MinValue'])}`));
      if (decl['MaxValue'] !== undefined && n > Number(decl['MaxValue'])) throw bad(describe(`Parameter '${key}' must be a number not greater than ${String(decl['MaxValue'])}`));
    }
    const allowed = decl['AllowedValues'];
    if (Array.isArray(allowed) && !allowed.map(String).includes(item)) throw bad(describe(`Parameter '${key}' must be one of AllowedValues`));
  }
  if (decl['AllowedPattern'] !== undefined && !new RegExp(`^(?:${String(decl['AllowedPattern'])})$`).test(value)) {
    throw bad(describe(`Parameter '${key}' must match pattern ${String(decl['AllowedPattern'])}`));
  }
  if (decl['MinLength'] !== undefined && value.length < Number(decl['MinLength'])) throw bad(describe(`Parameter '${key}' must contain at least ${String(decl['MinLength'])} characters`));
  if (decl['MaxLength'] !== undefined && value.length > Number(decl['MaxLength'])) throw bad(describe(`Parameter '${key}' must contain at most ${String(decl['MaxLength'])} characters`));
}
