/**
 * Tags, by the resource's ARN (`arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>]`,
 * `/apikeys/<id>`, `/usageplans/<id>`): each kind keeps its tags in its own document.
 */
import type { OperationHandler } from '../../api/service.js';
import type { In } from './inputs.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import type { KeyService } from './keys.js';
import type { RestApiService } from './rest-apis.js';
import type { StageService } from './stages.js';

type TagChange = (tags: Record<string, string>) => void;

export function tagHandlers(apis: RestApiService, stages: StageService, keys: KeyService): Record<string, OperationHandler> {
  /** Reads (and, with `change`, rewrites) the tags of the resource an ARN names. */
  const withTags = async (arn: string, change?: TagChange): Promise<Record<string, string>> => {
    const m = /^arn:aws[\w-]*:apigateway:[\w-]+::\/(restapis|apikeys|usageplans)\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn);
    if (!m) throw ApiGatewayErrors.badRequest(`Invalid ARN specified in the request: ${arn}`);
    const [, kind, id, stage] = m as unknown as [string, string, string, string | undefined];
    if (kind === 'restapis' && stage !== undefined) {
      if (change) await stages.tagStage(id, stage, change);
      return (await stages.stage(id, stage)).tags;
    }
    if (kind === 'restapis') return (change ? await apis.mutate(id, (api) => (change(api.tags), api)) : await apis.get(id)).tags;
    if (kind === 'apikeys') return (change ? await keys.writeKey(id, (k) => change(k.tags)) : await keys.key(id)).tags;
    return (change ? await keys.writePlan(id, (p) => change(p.tags)) : await keys.plan(id)).tags;
  };
  return {
    TagResource: async (i: In) => {
      await withTags(i['resourceArn'], (tags) => Object.assign(tags, i['tags']));
      return {};
    },
    UntagResource: async (i: In) => {
      await withTags(i['resourceArn'], (tags) => {
        for (const k of i['tagKeys'] as string[]) delete tags[k];
      });
      return {};
    },
    GetTags: async (i: In) => ({ tags: await withTags(i['resourceArn']) }),
  };
}
