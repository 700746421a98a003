/** KMS's operations on a key's description and tags: parse, call the key service, render. */
import type { KeyService } from '../key-service.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { tagsIn } from './render.js';
import type { KmsInputs } from '../../../wire/inputs/kms.js';


export function keyConfigHandlers(keys: KeyService): Record<string, OperationHandler> {
  return typedHandlers<KmsInputs>({
    async UpdateKeyDescription(i) {
      await keys.configure(i.KeyId, (r) => ({ ...r, description: i.Description }));
      return {};
    },
    async TagResource(i) {
      const add = tagsIn(i.Tags);
      await keys.configure(i.KeyId, (r) => ({ ...r, tags: [...r.tags.filter((t) => !add.some((a) => a.key === t.key)), ...add] }));
      return {};
    },
    async UntagResource(i) {
      await keys.configure(i.KeyId, (r) => ({ ...r, tags: r.tags.filter((t) => !i.TagKeys.includes(t.key)) }));
      return {};
    },
    async ListResourceTags(input) {
      const key = await keys.describe(input.KeyId);
      return { Tags: key.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })), Truncated: false };
    },
  });
}
