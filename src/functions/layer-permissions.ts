/**
 * Layer version permissions (AddLayerVersionPermission and friends): who may use a layer version,
 * as statements on it, changed by compare-and-set on a revision id as Lambda's RevisionId works.
 * A caller of another account may get or use a version only if a statement grants its account (or
 * everyone, without an organization condition: callers here belong to no organization).
 */
import { randomUUID } from 'node:crypto';
import type { LayerVersionRecord } from '../domain/function.js';
import type { LayerRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';

export interface LayerStatementSpec {
  statementId: string;
  action: string;
  /** An account id, or `*` for everyone (with an organization id to narrow it). */
  principal: string;
  organizationId?: string | undefined;
}

const STATEMENT_ID = /^([a-zA-Z0-9-_]+)$/;
const PRINCIPAL = /^\d{12}$|^\*$|^arn:aws[a-zA-Z-]*:iam::\d{12}:root$/;

export class LayerPermissions {
  constructor(
    private readonly repo: LayerRepo,
    private readonly layerVersionArn: (name: string, version: number) => string,
  ) {}

  async add(name: string, version: number, spec: LayerStatementSpec, revisionId: string | undefined): Promise<{ statement: Record<string, unknown>; revisionId: string }> {
    if (!STATEMENT_ID.test(spec.statementId)) throw Errors.invalidParameter(`The statement id ${spec.statementId} is not valid.`);
    if (spec.action !== 'lambda:GetLayerVersion') throw Errors.invalidParameter('Action must be lambda:GetLayerVersion.');
    if (!PRINCIPAL.test(spec.principal)) throw Errors.invalidParameter('The principal must be an account id, an account root ARN, or *.');
    if (spec.organizationId !== undefined && spec.principal !== '*') throw Errors.invalidParameter('An organization id can be given only with the principal *.');
    const account = /(\d{12})/.exec(spec.principal)?.[1];
    const statement: Record<string, unknown> = {
      Sid: spec.statementId,
      Effect: 'Allow',
      Principal: account === undefined ? '*' : { AWS: `arn:aws:iam::${account}:root` },
      Action: spec.action,
      Resource: this.layerVersionArn(name, version),
      ...(spec.organizationId !== undefined ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': spec.organizationId } } } : {}),
    };
    const saved = await this.change(name, version, revisionId, (policy) => {
      if (policy.some((s) => s['Sid'] === spec.statementId)) {
        throw Errors.resourceConflict(`The statement id (${spec.statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
      return [...policy, statement];
    });
    return { statement, revisionId: saved };
  }

  /** Whether a version's policy lets `account` get and use it. */
  grants(layer: LayerVersionRecord, account: string): boolean {
    return (layer.policy ?? []).some((s) => {
      if (s['Effect'] !== 'Allow' || s['Condition'] !== undefined) return false;
      if (s['Action'] !== 'lambda:GetLayerVersion' && s['Action'] !== 'lambda:*') return false;
      const principal = s['Principal'];
      return principal === '*' || (typeof principal === 'object' && principal !== null && (principal as Record<string, unknown>)['AWS'] === `arn:aws:iam::${account}:root`);
    });
  }

  async get(name: string, version: number): Promise<{ policy: string; revisionId: string }> {
    const layer = await this.repo.get(name, version);
    if (!layer) throw Errors.resourceNotFound('The resource you requested does not exist.');
    if (!layer.policy?.length || layer.policyRevisionId === undefined) throw Errors.resourceNotFound('No policy is associated with the given resource.');
    return { policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: layer.policy }), revisionId: layer.policyRevisionId };
  }

  async remove(name: string, version: number, statementId: string, revisionId: string | undefined): Promise<void> {
    await this.change(name, version, revisionId, (policy) => {
      if (!policy.some((s) => s['Sid'] === statementId)) throw Errors.resourceNotFound(`Statement ${statementId} is not found in resource policy.`);
      return policy.filter((s) => s['Sid'] !== statementId);
    });
  }

  /** Applies `edit` to the current policy; a caller's RevisionId must be the current one. */
  private async change(
    name: string,
    version: number,
    revisionId: string | undefined,
    edit: (policy: Record<string, unknown>[]) => Record<string, unknown>[],
  ): Promise<string> {
    for (;;) {
      const layer = await this.repo.get(name, version);
      if (!layer) throw Errors.resourceNotFound('The resource you requested does not exist.');
      if (revisionId !== undefined && revisionId !== layer.policyRevisionId) {
        throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id');
      }
      const next = randomUUID();
      if (await this.repo.setPolicy(name, version, edit(layer.policy ?? []), next, layer.policyRevisionId)) return next;
      if (revisionId !== undefined) {
        throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id');
      }
    }
  }
}
