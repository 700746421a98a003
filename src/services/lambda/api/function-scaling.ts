/** PutFunctionScalingConfig and GetFunctionScalingConfig: environments kept per published version of a managed-instances function. */
import type { FunctionService } from '../../../functions/function-service.js';
import type { VersionService } from '../../../functions/version-service.js';
import { parseFunctionRef, type Account } from '../../../wire/arn.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';


export function functionScalingHandlers(functions: FunctionService, versions: VersionService, account: Account): Record<string, OperationHandler> {
  return typedHandlers<LambdaInputs>({
    async PutFunctionScalingConfig(i) {
      const name = parseFunctionRef(account, i.FunctionName).name;
      const c = i.FunctionScalingConfig ?? {};
      await versions.putScaling({
        functionName: name,
        qualifier: i.Qualifier,
        ...(c.MinExecutionEnvironments !== undefined ? { minEnvironments: c.MinExecutionEnvironments } : {}),
        ...(c.MaxExecutionEnvironments !== undefined ? { maxEnvironments: c.MaxExecutionEnvironments } : {}),
      });
      return { FunctionState: (await functions.get(name)).state };
    },

    async GetFunctionScalingConfig(i) {
      const name = parseFunctionRef(account, i.FunctionName).name;
      await versions.get(name, i.Qualifier);
      const requested = await versions.requestedScaling(name, i.Qualifier);
      const applied = await versions.scalingConfig(name, i.Qualifier);
      return {
        FunctionArn: functions.arn(name, i.Qualifier),
        AppliedFunctionScalingConfig: {
          MinExecutionEnvironments: applied.minEnvironments,
          ...(applied.maxEnvironments !== undefined ? { MaxExecutionEnvironments: applied.maxEnvironments } : {}),
        },
        ...(requested
          ? {
              RequestedFunctionScalingConfig: {
                ...(requested.minEnvironments !== undefined ? { MinExecutionEnvironments: requested.minEnvironments } : {}),
                ...(requested.maxEnvironments !== undefined ? { MaxExecutionEnvironments: requested.maxEnvironments } : {}),
              },
            }
          : {}),
      };
    },
  });
}
