/**
 * The resource policies of a function, its versions and its aliases (AddPermission, GetPolicy,
 * RemovePermission), plus the read-only settings that infrastructure tools read back after creating
 * a function. Each qualifier has its own policy, as on Lambda: its statements are those whose
 * Resource is its ARN (all are kept together on the function record).
 */
import { classifyQualifier } from '../../../domain/qualifier.js';
import type { AliasService } from '../../../functions/alias-service.js';
import type { FunctionService } from '../../../functions/function-service.js';
import type { VersionService } from '../../../functions/version-service.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

const noPolicy = () => Errors.resourceNotFound('The resource you requested does not exist.');

export function permissionHandlers(functions: FunctionService, versions: VersionService, aliases: AliasService, account: Account): Record<string, OperationHandler> {
  /**
   * Whose policy a call names: `fn`, `fn:3`, `fn:alias` (or the ARNs), or a Qualifier; a version or
   * alias must exist. `$LATEST` has no policy of its own: it is the function's.
   */
  const policyOf = async (i: { FunctionName: string; Qualifier?: string }): Promise<{ name: string; arn: string }> => {
    const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
    const q = classifyQualifier(ref.qualifier);
    await functions.get(ref.name);
    if (q.kind === 'version') await versions.get(ref.name, q.version);
    if (q.kind === 'alias') await aliases.get(ref.name, q.alias);
    return { name: ref.name, arn: functions.arn(ref.name, q.kind === 'latest' ? undefined : ref.qualifier) };
  };
  const statementsOf = (policy: { Sid: string; Resource?: unknown }[], arn: string) => policy.filter((s) => s.Resource === arn);

  return typedHandlers<LambdaInputs>({
    async AddPermission(i) {
      const qualifier = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier).qualifier;
      if (qualifier !== undefined && classifyQualifier(qualifier).kind === 'latest') throw Errors.invalidParameter('We currently do not support adding policies for $LATEST.');
      const { name, arn } = await policyOf(i);
      const principal = /^\d{12}$/.test(i.Principal) ? { AWS: `arn:aws:iam::${i.Principal}:root` } : i.Principal === '*' ? '*' : { Service: i.Principal };
      const condition: Record<string, Record<string, string>> = {};
      if (i.SourceArn) condition['ArnLike'] = { 'AWS:SourceArn': i.SourceArn };
      if (i.SourceAccount) condition['StringEquals'] = { ...condition['StringEquals'], 'AWS:SourceAccount': i.SourceAccount };
      if (i.PrincipalOrgID) condition['StringEquals'] = { ...condition['StringEquals'], 'aws:PrincipalOrgID': i.PrincipalOrgID };
      if (i.FunctionUrlAuthType) condition['StringEquals'] = { ...condition['StringEquals'], 'lambda:FunctionUrlAuthType': i.FunctionUrlAuthType };
      const statement = {
        Sid: i.StatementId,
        Effect: 'Allow',
        Principal: principal,
        Action: i.Action,
        Resource: arn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
      await functions.setPolicy(
        name,
        (policy) => {
          if (statementsOf(policy, arn).some((s) => s.Sid === i.StatementId)) {
            throw Errors.resourceConflict(`The statement id (${i.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
          }
          return [...policy, statement];
        },
        i.RevisionId,
      );
      return { Statement: JSON.stringify(statement) };
    },
    async GetPolicy(i) {
      const { name, arn } = await policyOf(i);
      const fn = await functions.get(name);
      const statements = statementsOf(fn.policy, arn);
      if (statements.length === 0) throw noPolicy();
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }), RevisionId: fn.revisionId };
    },
    async RemovePermission(i) {
      const { name, arn } = await policyOf(i);
      const removed = (s: { Sid: string; Resource?: unknown }) => s.Sid === i.StatementId && s.Resource === arn;
      await functions.setPolicy(
        name,
        (policy) => {
          if (!policy.some(removed)) throw Errors.statementNotFound(i.StatementId);
          return policy.filter((s) => !removed(s));
        },
        i.RevisionId,
      );
      return {};
    },

    async GetFunctionRecursionConfig(input) {
      const fn = await functions.get(parseFunctionRef(account, input.FunctionName).name);
      return { RecursiveLoop: fn.recursiveLoop };
    },
    async PutFunctionRecursionConfig(i) {
      const fn = await functions.setRecursiveLoop(parseFunctionRef(account, i.FunctionName).name, i.RecursiveLoop);
      return { RecursiveLoop: fn.recursiveLoop };
    },
    async GetRuntimeManagementConfig(input) {
      const name = parseFunctionRef(account, input.FunctionName).name;
      await functions.get(name);
      return { UpdateRuntimeOn: 'Auto', FunctionArn: functions.arn(name) };
    },
    async GetFunctionCodeSigningConfig(input) {
      const name = parseFunctionRef(account, input.FunctionName).name;
      await functions.get(name);
      return { CodeSigningConfigArn: '', FunctionName: name };
    },
  });
}
