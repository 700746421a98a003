/**
 * TagResource, UntagResource and ListTagsForResource as the JSON services that tag by ARN with
 * `[{ Key, Value }]` lists have them (CloudWatch, EventBridge, Scheduler): parse, call, render.
 */
import type { OperationHandler } from './service.js';

type WireTag = { Key: string; Value: string };

/** A service's tagged resources, named by ARN; each call throws the service's own error for an ARN it does not hold. */
export interface ArnTagging {
  change(arn: string, add: Record<string, string>, remove: readonly string[]): Promise<unknown>;
  list(arn: string): Promise<Readonly<Record<string, string>> | undefined>;
}

/** `arnMember`: the input member naming the resource, as the service's model spells it. */
export function arnTagHandlers(arnMember: 'ResourceARN' | 'ResourceArn', tagging: ArnTagging): Record<string, OperationHandler> {
  return {
    async TagResource(input) {
      const tags = input['Tags'] as WireTag[];
      await tagging.change(input[arnMember] as string, Object.fromEntries(tags.map((t) => [t.Key, t.Value])), []);
      return {};
    },
    async UntagResource(input) {
      await tagging.change(input[arnMember] as string, {}, input['TagKeys'] as string[]);
      return {};
    },
    async ListTagsForResource(input) {
      const tags = await tagging.list(input[arnMember] as string);
      return { Tags: Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
