/**
 * API Gateway's account settings (GetAccount/UpdateAccount): the CloudWatch role it is to log with,
 * kept in the store; the throttle it reports is AWS's default account-level limit, which Selfless
 * does not enforce (stages and usage plans throttle).
 */
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import type { ApiGatewayAccountRecord } from './model.js';
import { applyPatches, type PatchOperation } from './patch.js';

const KEY = 'account';
const MAX_ATTEMPTS = 20;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export class AccountService {
  constructor(private readonly repo: ApiGatewayRepo) {}

  async get(): Promise<ApiGatewayAccountRecord> {
    return (await this.repo.account.get(KEY))?.value ?? {};
  }

  /** `replace /cloudwatchRoleArn` (an empty value clears it), with compare-and-set against concurrent updates. */
  async update(ops: readonly PatchOperation[] | undefined): Promise<ApiGatewayAccountRecord> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const found = await this.repo.account.get(KEY);
      const next: ApiGatewayAccountRecord = { ...found?.value };
      applyPatches(ops, (op, [field]) => {
        if (field !== 'cloudwatchRoleArn' || op.op !== 'replace') return false;
        const arn = op.value ?? '';
        if (arn === '') delete next.cloudwatchRoleArn;
        else if (!ROLE_ARN.test(arn)) throw ApiGatewayErrors.badRequest('The role ARN is not well formed');
        else next.cloudwatchRoleArn = arn;
        return true;
      });
      const stored = found ? await this.repo.account.update(KEY, next, found.revision) : await this.repo.account.create(KEY, next);
      if (stored) return next;
    }
    throw ApiGatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  }
}
