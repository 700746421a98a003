/**
 * PutResourcePolicy, DescribeResourcePolicies and DeleteResourcePolicy: CloudWatch Logs' account-level
 * resource policies (what lets EventBridge or Route 53 write to log groups), stored and answered as
 * CloudWatch Logs does. They are not enforced: no request is allowed or refused by them here.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import type { DocumentRepo } from '../../../storage/store.js';
import { LogsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogResourcePolicyRecord } from '../model.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

/** CloudWatch Logs allows 10 resource policies per account and region. */
export const MAX_RESOURCE_POLICIES = 10;
const DEFAULT_LIMIT = 50;

const wire = (p: LogResourcePolicyRecord) => ({
  policyName: p.policyName,
  policyDocument: p.policyDocument,
  lastUpdatedTime: p.lastUpdatedTime,
  policyScope: 'ACCOUNT',
  revisionId: p.revisionId,
});

function checkDocument(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw LogsErrors.invalidParameter('The policy document is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw LogsErrors.invalidParameter('The policy document must be a JSON object.');
}

const refuseResourceScope = (arn: string | undefined) => {
  if (arn !== undefined) throw LogsErrors.invalidParameter('Resource-scoped policies (resourceArn) are not served; put an account-level policy by policyName.');
};

export function resourcePolicyHandlers(repo: DocumentRepo<LogResourcePolicyRecord>, clock: Clock): Record<string, OperationHandler> {
  return typedHandlers<LogsInputs>({
    async PutResourcePolicy(i) {
      refuseResourceScope(i.resourceArn);
      if (i.policyName === undefined || i.policyName === '') throw LogsErrors.invalidParameter('policyName is required.');
      if (i.policyDocument === undefined) throw LogsErrors.invalidParameter('policyDocument is required.');
      checkDocument(i.policyDocument);
      const record: LogResourcePolicyRecord = { policyName: i.policyName, policyDocument: i.policyDocument, lastUpdatedTime: clock.now(), revisionId: randomUUID() };
      for (;;) {
        const existing = await repo.get(i.policyName);
        if (i.expectedRevisionId !== undefined && existing?.value.revisionId !== i.expectedRevisionId) {
          throw LogsErrors.operationAborted(`The policy ${i.policyName} is not at revision ${i.expectedRevisionId}.`);
        }
        if (existing) {
          if (await repo.update(i.policyName, record, existing.revision)) break;
        } else {
          if ((await repo.list('', undefined, MAX_RESOURCE_POLICIES)).length >= MAX_RESOURCE_POLICIES) {
            throw LogsErrors.limitExceeded(`Resource limit exceeded: an account can have at most ${MAX_RESOURCE_POLICIES} resource policies in a region.`);
          }
          if (await repo.create(i.policyName, record)) break;
        }
      }
      return { resourcePolicy: wire(record), revisionId: record.revisionId };
    },

    async DescribeResourcePolicies(i) {
      refuseResourceScope(i.resourceArn);
      if (i.policyScope === 'RESOURCE') return { resourcePolicies: [] };
      const limit = i.limit ?? DEFAULT_LIMIT;
      const after = i.nextToken === undefined ? undefined : Buffer.from(i.nextToken, 'base64url').toString();
      const page = await repo.list('', after, limit + 1);
      const shown = page.slice(0, limit);
      return {
        resourcePolicies: shown.map((r) => wire(r.value)),
        ...(page.length > limit ? { nextToken: Buffer.from(shown.at(-1)!.value.policyName).toString('base64url') } : {}),
      };
    },

    async DeleteResourcePolicy(i) {
      refuseResourceScope(i.resourceArn);
      if (i.policyName === undefined) throw LogsErrors.invalidParameter('policyName is required.');
      const existing = await repo.get(i.policyName);
      if (!existing) throw LogsErrors.resourceNotFound(`Policy with name [${i.policyName}] does not exist`);
      if (i.expectedRevisionId !== undefined && existing.value.revisionId !== i.expectedRevisionId) {
        throw LogsErrors.operationAborted(`The policy ${i.policyName} is not at revision ${i.expectedRevisionId}.`);
      }
      await repo.delete(i.policyName);
      return {};
    },
  });
}
