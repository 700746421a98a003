/** Reserved concurrency and account settings. */
import type { FunctionService } from '../../../functions/function-service.js';
import type { ConcurrencyLimiter } from '../../../invoke/concurrency.js';
import { parseFunctionRef, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

export function concurrencyHandlers(
  functions: FunctionService,
  limiter: ConcurrencyLimiter,
  account: Account,
  unreservedMinimum: number,
): Record<string, OperationHandler> {
  const nameOf = (raw: string) => {
    const ref = parseFunctionRef(account, raw);
    if (ref.qualifier !== undefined) throw Errors.invalidParameter('Concurrency is set on the function, not on a qualifier.');
    return ref.name;
  };
  return typedHandlers<LambdaInputs>({
    async PutFunctionConcurrency(i) {
      const name = nameOf(i.FunctionName);
      await functions.get(name);
      const others = await functions.totalReserved(name);
      const minimum = Math.min(unreservedMinimum, limiter.accountLimit);
      if (limiter.accountLimit - others - i.ReservedConcurrentExecutions < minimum) {
        throw Errors.invalidParameter(
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimum}].`,
        );
      }
      await functions.setReservedConcurrency(name, i.ReservedConcurrentExecutions);
      return { ReservedConcurrentExecutions: i.ReservedConcurrentExecutions };
    },

    async GetFunctionConcurrency(input) {
      const fn = await functions.get(nameOf(input.FunctionName));
      return fn.reservedConcurrency === null ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
    },

    async DeleteFunctionConcurrency(input) {
      const name = nameOf(input.FunctionName);
      await functions.get(name);
      await functions.setReservedConcurrency(name, null);
      return {};
    },

    async GetAccountSettings() {
      return {
        AccountLimit: {
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: 262_144_000,
          CodeSizeZipped: 52_428_800,
          ConcurrentExecutions: limiter.accountLimit,
          UnreservedConcurrentExecutions: limiter.unreservedLimit,
        },
        AccountUsage: { TotalCodeSize: await functions.totalCodeSize(), FunctionCount: await functions.count() },
      };
    },
  });
}
