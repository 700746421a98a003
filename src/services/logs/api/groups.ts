/**
 * Log groups: CreateLogGroup and DeleteLogGroup (a function's group made before the function has logged
 * is recorded, so that it is listed; any other group is made here), and their tags.
 */
import type { Clock } from '../../../lib/clock.js';
import type { LogRepo } from '../../../storage/store.js';
import type { BufferedLogSink } from '../../../telemetry/log-sink.js';
import type { Account } from '../../../wire/arn.js';
import { LogsErrors } from '../../../wire/errors.js';
import { groupKey, isValidGroupName, nameOfIdentifier } from '../group-names.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

/** CloudWatch Logs allows 50 tags on a log group. */
const MAX_TAGS = 50;

function keyOf(group: string): string {
  if (!isValidGroupName(group)) throw LogsErrors.invalidParameter(`${group} is not a valid log group name: 1 to 512 of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'.`);
  return groupKey(group);
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) throw LogsErrors.invalidParameter(`A log group can have at most ${MAX_TAGS} tags.`);
  return tags;
}

export function logGroupHandlers(repo: LogRepo, sink: BufferedLogSink, clock: Clock, account: Account): Record<string, OperationHandler> {
  const exists = async (fn: string) => (await repo.groups()).includes(fn) || (await repo.retentions()).has(fn);
  /** The function of an existing group named by ARN (`...:log-group:NAME`, with or without `:*`). */
  /** The key of an existing group named by ARN (`...:log-group:NAME`, with or without `:*`). */
  const existingByArn = async (arn: string): Promise<string> => {
    const prefix = `arn:aws:logs:${account.region}:${account.accountId}:log-group:`;
    return existing(arn.startsWith(prefix) ? nameOfIdentifier(arn) : '');
  };
  const existing = async (name: string): Promise<string> => {
    const key = isValidGroupName(name) ? groupKey(name) : undefined;
    await sink.flush();
    if (key === undefined || !(await exists(key))) throw LogsErrors.resourceNotFound('The specified log group does not exist.');
    return key;
  };
  const tag = async (fn: string, add: Record<string, string>, remove: readonly string[]) => {
    const tags = { ...(await repo.groupTags(fn)), ...add };
    for (const k of remove) delete tags[k];
    await repo.setGroupTags(fn, checkTags(tags), clock.now());
  };
  return typedHandlers<LogsInputs>({
    async CreateLogGroup(i) {
      const fn = keyOf(i.logGroupName);
      // Not served: refused rather than accepted and forgotten.
      if (i.kmsKeyId !== undefined) throw LogsErrors.invalidParameter('Selfless does not encrypt log groups with KMS keys (kmsKeyId).');
      if (i.deletionProtectionEnabled) throw LogsErrors.invalidParameter('Selfless does not protect log groups from deletion yet (deletionProtectionEnabled).');
      if (i.logGroupClass !== undefined && i.logGroupClass !== 'STANDARD') throw LogsErrors.invalidParameter(`Selfless keeps STANDARD log groups only, not ${i.logGroupClass}.`);
      await sink.flush();
      if ((await exists(fn)) || !(await repo.createGroup(fn, clock.now(), checkTags(i.tags ?? {})))) throw LogsErrors.resourceAlreadyExists();
      return {};
    },
    async DeleteLogGroup(input) {
      const fn = keyOf(input.logGroupName);
      // Lines still buffered would otherwise land after the delete and bring the group back.
      await sink.flush();
      if (!(await repo.deleteGroup(fn))) throw LogsErrors.resourceNotFound('The specified log group does not exist.');
      return {};
    },
    async TagResource(i) {
      await tag(await existingByArn(i.resourceArn), i.tags, []);
      return {};
    },
    async UntagResource(i) {
      await tag(await existingByArn(i.resourceArn), {}, i.tagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      return { tags: await repo.groupTags(await existingByArn(input.resourceArn)) };
    },
    async TagLogGroup(i) {
      await tag(await existing(i.logGroupName), i.tags, []);
      return {};
    },
    async UntagLogGroup(i) {
      await tag(await existing(i.logGroupName), {}, i.tags);
      return {};
    },
    async ListTagsLogGroup(input) {
      return { tags: await repo.groupTags(await existing(input.logGroupName)) };
    },
  });
}
