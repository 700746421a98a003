/** Put/Get/Delete/ListProvisionedConcurrencyConfig(s). */
import type { ProvisionedConcurrencyService, ProvisionedStatus } from '../../../functions/provisioned-concurrency.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

interface Wire {
  FunctionName: string;
  Qualifier?: string;
  ProvisionedConcurrentExecutions?: number;
}

const render = (s: ProvisionedStatus) => ({
  RequestedProvisionedConcurrentExecutions: s.record.requested,
  AvailableProvisionedConcurrentExecutions: s.allocated,
  AllocatedProvisionedConcurrentExecutions: s.allocated,
  Status: s.status,
  StatusReason: s.statusReason,
  LastModified: s.record.lastModified,
});

export function provisionedConcurrencyHandlers(service: ProvisionedConcurrencyService, account: Account, arn: (fn: string, q: string) => string): Record<string, OperationHandler> {
  const target = (i: Wire) => {
    const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
    if (ref.qualifier === undefined) throw Errors.invalidParameter('A qualifier (a version number or an alias) is required.');
    return { fn: ref.name, qualifier: ref.qualifier };
  };
  return typedHandlers<LambdaInputs>({
    async PutProvisionedConcurrencyConfig(i) {
      const { fn, qualifier } = target(i);
      return render(await service.put(fn, qualifier, i.ProvisionedConcurrentExecutions!));
    },
    async GetProvisionedConcurrencyConfig(input) {
      const { fn, qualifier } = target(input);
      return render(await service.get(fn, qualifier));
    },
    async DeleteProvisionedConcurrencyConfig(input) {
      const { fn, qualifier } = target(input);
      await service.delete(fn, qualifier);
      return {};
    },
    async ListProvisionedConcurrencyConfigs(input) {
      const fn = parseFunctionRef(account, input.FunctionName).name;
      const all = await service.list(fn);
      return { ProvisionedConcurrencyConfigs: all.map((s) => ({ FunctionArn: arn(fn, s.record.qualifier), ...render(s) })) };
    },
  });
}
