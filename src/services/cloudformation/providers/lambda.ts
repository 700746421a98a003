/** Lambda's resource types. */
import type { ResourceProvider } from '../provider.js';
import { lambdaCapacityProvider } from './lambda-capacity-provider.js';
import { lambdaFunction } from './lambda-function.js';
import { lambdaAlias, lambdaEventInvokeConfig, lambdaEventSourceMapping, lambdaLayerVersion, lambdaLayerVersionPermission, lambdaPermission, lambdaUrl, lambdaVersion } from './lambda-resources.js';

export const lambdaProviders: Record<string, ResourceProvider> = {
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': lambdaVersion,
  'AWS::Lambda::Alias': lambdaAlias,
  'AWS::Lambda::Permission': lambdaPermission,
  'AWS::Lambda::EventSourceMapping': lambdaEventSourceMapping,
  'AWS::Lambda::LayerVersion': lambdaLayerVersion,
  'AWS::Lambda::LayerVersionPermission': lambdaLayerVersionPermission,
  'AWS::Lambda::Url': lambdaUrl,
  'AWS::Lambda::EventInvokeConfig': lambdaEventInvokeConfig,
  'AWS::Lambda::CapacityProvider': lambdaCapacityProvider,
};
