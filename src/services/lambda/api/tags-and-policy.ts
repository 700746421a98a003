/**
 * Tags and the function's resource policy (AddPermission, GetPolicy, RemovePermission), plus the
 * read-only settings that infrastructure tools read back after creating a function.
 */
import type { FunctionService } from '../../../functions/function-service.js';
import { parseFunctionRef, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

interface TagsWire {
  Resource: string;
  Tags?: Record<string, string>;
  TagKeys?: string[];
}

interface PermissionWire {
  FunctionName: string;
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
  Qualifier?: string;
  RevisionId?: string;
}

const noPolicy = () => Errors.resourceNotFound('The resource you requested does not exist.');

export function tagsAndPolicyHandlers(functions: FunctionService, account: Account): Record<string, OperationHandler> {
  /** Tags live on functions here: a tag call names a function by its ARN. */
  const taggedFunction = (resource: string) => {
    if (!resource.includes(':function:')) throw Errors.invalidParameter(`Tags are supported on functions only, not on ${resource}.`);
    return parseFunctionRef(account, resource).name;
  };

  return {
    async TagResource(input) {
      const i = input as unknown as TagsWire;
      const name = taggedFunction(i.Resource);
      const fn = await functions.get(name);
      await functions.setTags(name, { ...fn.tags, ...(i.Tags ?? {}) });
      return {};
    },
    async UntagResource(input) {
      const i = input as unknown as TagsWire;
      const name = taggedFunction(i.Resource);
      const tags = { ...(await functions.get(name)).tags };
      for (const k of i.TagKeys ?? []) delete tags[k];
      await functions.setTags(name, tags);
      return {};
    },
    async ListTags(input) {
      return { Tags: (await functions.get(taggedFunction((input as unknown as TagsWire).Resource))).tags };
    },

    async AddPermission(input) {
      const i = input as unknown as PermissionWire;
      const name = parseFunctionRef(account, i.FunctionName).name;
      const fn = await functions.get(name);
      if (fn.policy.some((s) => s.Sid === i.StatementId)) {
        throw Errors.resourceConflict(`The statement id (${i.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
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
        Resource: functions.arn(name, i.Qualifier),
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
      await functions.setPolicy(
        name,
        (policy) => {
          if (policy.some((s) => s.Sid === i.StatementId)) {
            throw Errors.resourceConflict(`The statement id (${i.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
          }
          return [...policy, statement];
        },
        i.RevisionId,
      );
      return { Statement: JSON.stringify(statement) };
    },
    async GetPolicy(input) {
      const i = input as unknown as PermissionWire;
      const fn = await functions.get(parseFunctionRef(account, i.FunctionName).name);
      if (fn.policy.length === 0) throw noPolicy();
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.policy }), RevisionId: fn.revisionId };
    },
    async RemovePermission(input) {
      const i = input as unknown as PermissionWire;
      const name = parseFunctionRef(account, i.FunctionName).name;
      const fn = await functions.get(name);
      if (!fn.policy.some((s) => s.Sid === i.StatementId)) {
        throw Errors.statementNotFound(i.StatementId);
      }
      await functions.setPolicy(
        name,
        (policy) => {
          if (!policy.some((s) => s.Sid === i.StatementId)) throw Errors.statementNotFound(i.StatementId);
          return policy.filter((s) => s.Sid !== i.StatementId);
        },
        i.RevisionId,
      );
      return {};
    },

    async GetFunctionRecursionConfig(input) {
      const fn = await functions.get(parseFunctionRef(account, (input as unknown as PermissionWire).FunctionName).name);
      return { RecursiveLoop: fn.recursiveLoop };
    },
    async PutFunctionRecursionConfig(input) {
      const i = input as unknown as { FunctionName: string; RecursiveLoop: 'Terminate' | 'Allow' };
      const fn = await functions.setRecursiveLoop(parseFunctionRef(account, i.FunctionName).name, i.RecursiveLoop);
      return { RecursiveLoop: fn.recursiveLoop };
    },
    async GetRuntimeManagementConfig(input) {
      const name = parseFunctionRef(account, (input as unknown as PermissionWire).FunctionName).name;
      await functions.get(name);
      return { UpdateRuntimeOn: 'Auto', FunctionArn: functions.arn(name) };
    },
    async GetFunctionCodeSigningConfig(input) {
      const name = parseFunctionRef(account, (input as unknown as PermissionWire).FunctionName).name;
      await functions.get(name);
      return { CodeSigningConfigArn: '', FunctionName: name };
    },
  };
}
