/** Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s): retries and destinations of asynchronous invocation. */
import type { EventInvokeConfigs, EventInvokeSettings } from '../../../async/event-invoke-configs.js';
import type { EventInvokeConfig } from '../../../async/model.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import {
  renderEventInvokeConfig,
} from '../../../wire/lambda-shapes.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs, PutFunctionEventInvokeConfigRequest, UpdateFunctionEventInvokeConfigRequest } from '../../../wire/inputs/lambda.js';

export function eventInvokeConfigHandlers(configs: EventInvokeConfigs, account: Account): Record<string, OperationHandler> {
  const target = async (raw: string, qualifier: string | undefined) => {
    const ref = withQualifier(parseFunctionRef(account, raw), qualifier);
    return { name: ref.name, qualifier: await configs.qualifierOf(ref.name, ref.qualifier) };
  };
  const render = (c: EventInvokeConfig) =>
    renderEventInvokeConfig({
      functionArn: configs.arn(c.functionName, c.qualifier),
      lastModified: c.lastModified,
      ...(c.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: c.maximumRetryAttempts } : {}),
      ...(c.maximumEventAgeInSeconds !== undefined ? { maximumEventAgeInSeconds: c.maximumEventAgeInSeconds } : {}),
      ...(c.onSuccess ? { onSuccess: c.onSuccess } : {}),
      ...(c.onFailure ? { onFailure: c.onFailure } : {}),
    });
  const settings = (i: PutFunctionEventInvokeConfigRequest | UpdateFunctionEventInvokeConfigRequest): EventInvokeSettings => {
    const s: EventInvokeSettings = {};
    if (i.MaximumRetryAttempts !== undefined) s.maximumRetryAttempts = i.MaximumRetryAttempts;
    if (i.MaximumEventAgeInSeconds !== undefined) s.maximumEventAgeInSeconds = i.MaximumEventAgeInSeconds;
    if (i.DestinationConfig !== undefined) {
      s.destinations = {};
      const onSuccess = i.DestinationConfig.OnSuccess?.Destination;
      const onFailure = i.DestinationConfig.OnFailure?.Destination;
      if (onSuccess) s.destinations.onSuccess = onSuccess;
      if (onFailure) s.destinations.onFailure = onFailure;
    }
    return s;
  };

  return typedHandlers<LambdaInputs>({
    async PutFunctionEventInvokeConfig(i) {
      const t = await target(i.FunctionName, i.Qualifier);
      return render(await configs.put(t.name, t.qualifier, settings(i)));
    },

    async UpdateFunctionEventInvokeConfig(i) {
      const t = await target(i.FunctionName, i.Qualifier);
      return render(await configs.update(t.name, t.qualifier, settings(i)));
    },

    async GetFunctionEventInvokeConfig(i) {
      const t = await target(i.FunctionName, i.Qualifier);
      return render(await configs.get(t.name, t.qualifier));
    },

    async DeleteFunctionEventInvokeConfig(i) {
      const t = await target(i.FunctionName, i.Qualifier);
      await configs.delete(t.name, t.qualifier);
      return {};
    },

    async ListFunctionEventInvokeConfigs(i) {
      const ref = parseFunctionRef(account, i.FunctionName);
      const page = await configs.list(ref.name, i.Marker, i.MaxItems ?? 50);
      return { FunctionEventInvokeConfigs: page.configs.map(render), NextMarker: page.nextMarker };
    },
  });
}
