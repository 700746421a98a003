/** KMS's operations on a key's description and tags: parse, call the key service, render. */
import type { KeyService } from '../key-service.js';
import type { OperationHandler } from '../../../api/service.js';
import { tagsIn } from './render.js';

type KeyId = { KeyId: string };

export function keyConfigHandlers(keys: KeyService): Record<string, OperationHandler> {
  return {
    async UpdateKeyDescription(input) {
      const i = input as KeyId & { Description: string };
      await keys.configure(i.KeyId, (r) => ({ ...r, description: i.Description }));
      return {};
    },
    async TagResource(input) {
      const i = input as KeyId & { Tags: { TagKey: string; TagValue: string }[] };
      const add = tagsIn(i.Tags);
      await keys.configure(i.KeyId, (r) => ({ ...r, tags: [...r.tags.filter((t) => !add.some((a) => a.key === t.key)), ...add] }));
      return {};
    },
    async UntagResource(input) {
      const i = input as KeyId & { TagKeys: string[] };
      await keys.configure(i.KeyId, (r) => ({ ...r, tags: r.tags.filter((t) => !i.TagKeys.includes(t.key)) }));
      return {};
    },
    async ListResourceTags(input) {
      const key = await keys.describe((input as KeyId).KeyId);
      return { Tags: key.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })), Truncated: false };
    },
  };
}
