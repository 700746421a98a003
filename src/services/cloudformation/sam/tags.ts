/** PropagateTags: the SAM resource's Tags copied onto every resource it generated that takes tags. */
import { isObject, type Json } from './intrinsics.js';
import { tagList } from './model.js';
import type { Emitted } from './translation.js';

/** Generated types with a `[{Key, Value}]` Tags property (samtranslator's models with Tags). */
const LIST_TAGGED = new Set([
  'AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::DomainName', 'AWS::ApiGateway::DomainNameV2', 'AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::UsagePlan', 'AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup',
  'AWS::DynamoDB::Table', 'AWS::S3::Bucket',
]);
/** Types whose Tags is a map. (An HTTP API's tags live in its OpenAPI body instead.) */
const MAP_TAGGED = new Set(['AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::DomainName']);

/** Replaces (not merges) the Tags of each taggable resource, as samtranslator does. */
export function propagateTags(resources: Emitted, tags: Json | undefined): void {
  if (!isObject(tags) || Object.keys(tags).length === 0) return;
  for (const [, resource] of resources) {
    if (LIST_TAGGED.has(resource.Type)) resource.Properties['Tags'] = tagList(tags);
    else if (MAP_TAGGED.has(resource.Type)) resource.Properties['Tags'] = structuredClone(tags);
  }
}
