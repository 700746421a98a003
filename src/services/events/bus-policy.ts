/**
 * An event bus's resource-based policy, as PutPermission and RemovePermission shape it: one statement
 * per StatementId letting an account (or everyone, within an organization) put events on the bus.
 * Stored and shown by DescribeEventBus; Selfless serves one account, so nothing else is granted by it.
 */
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';

export interface PolicyStatement {
  Sid: string;
  [key: string]: unknown;
}

interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface Grant {
  statementId: string;
  action: string;
  principal: string;
  condition?: { type: string; key: string; value: string } | undefined;
}

/** EventBridge's limit on a bus policy's size. */
const MAX_POLICY_BYTES = 10_240;

export function parsePolicy(text: string | undefined): PolicyDocument {
  if (text === undefined) return { Version: '2012-10-17', Statement: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw ProtocolErrors.validation('Policy is not valid JSON.');
  }
  const d = doc as Partial<PolicyDocument>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw ProtocolErrors.validation('Policy must be a JSON object.');
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement !== undefined ? [d.Statement] : [];
  return { Version: d.Version ?? '2012-10-17', Statement: statements as PolicyStatement[] };
}

/** The statement PutPermission adds for a grant. */
export function grantStatement(g: Grant, busArn: string): PolicyStatement {
  if (g.action !== 'events:PutEvents') throw ProtocolErrors.validation('Provided value in parameter \'action\' is not supported.');
  if (g.principal !== '*' && !/^\d{12}$/.test(g.principal)) throw ProtocolErrors.validation('Parameter Principal must be an account id or *.');
  if (g.condition && g.principal !== '*') throw ProtocolErrors.validation('A condition can be given only when the principal is *.');
  return {
    Sid: g.statementId,
    Effect: 'Allow',
    Principal: g.principal === '*' ? '*' : { AWS: `arn:aws:iam::${g.principal}:root` },
    Action: g.action,
    Resource: busArn,
    ...(g.condition ? { Condition: { [g.condition.type]: { [g.condition.key]: g.condition.value } } } : {}),
  };
}

/** The policy with `statement` in place of any statement of the same Sid. */
export function withStatement(policy: string | undefined, statement: PolicyStatement): string {
  const doc = parsePolicy(policy);
  doc.Statement = [...doc.Statement.filter((s) => s.Sid !== statement.Sid), statement];
  return checked(JSON.stringify(doc));
}

/** The policy without the statement `sid`; undefined when none is left. */
export function withoutStatement(policy: string | undefined, sid: string): string | undefined {
  const doc = parsePolicy(policy);
  const rest = doc.Statement.filter((s) => s.Sid !== sid);
  if (rest.length === doc.Statement.length) throw EventsErrors.resourceNotFound('Statement with the provided id does not exist.');
  return rest.length === 0 ? undefined : JSON.stringify({ ...doc, Statement: rest });
}

export function checked(policy: string): string {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) throw EventsErrors.policyLengthExceeded('The policy is too long.');
  parsePolicy(policy);
  return policy;
}
