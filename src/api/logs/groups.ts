/**
 * CreateLogGroup and DeleteLogGroup for the log groups Selfless keeps: those of functions,
 * `/aws/lambda/<function>`. A group made before its function has logged is recorded, so that it is listed.
 */
import type { Clock } from '../../lib/clock.js';
import type { LogRepo } from '../../storage/store.js';
import type { BufferedLogSink } from '../../telemetry/log-sink.js';
import { LogsErrors } from '../../wire/errors.js';
import type { OperationHandler } from '../service.js';

const PREFIX = '/aws/lambda/';

function functionOf(group: string): string {
  if (!group.startsWith(PREFIX) || group.length === PREFIX.length) {
    throw LogsErrors.invalidParameter(`Selfless keeps the log groups of functions only (${PREFIX}<function>), not ${group}.`);
  }
  return group.slice(PREFIX.length);
}

export function logGroupHandlers(repo: LogRepo, sink: BufferedLogSink, clock: Clock): Record<string, OperationHandler> {
  return {
    async CreateLogGroup(input) {
      const i = input as { logGroupName: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: string; deletionProtectionEnabled?: boolean };
      const fn = functionOf(i.logGroupName);
      // Not served: refused rather than accepted and forgotten.
      if (i.kmsKeyId !== undefined) throw LogsErrors.invalidParameter('Selfless does not encrypt log groups with KMS keys (kmsKeyId).');
      if (i.tags !== undefined && Object.keys(i.tags).length > 0) throw LogsErrors.invalidParameter('Selfless does not keep tags on log groups yet.');
      if (i.deletionProtectionEnabled) throw LogsErrors.invalidParameter('Selfless does not protect log groups from deletion yet (deletionProtectionEnabled).');
      if (i.logGroupClass !== undefined && i.logGroupClass !== 'STANDARD') throw LogsErrors.invalidParameter(`Selfless keeps STANDARD log groups only, not ${i.logGroupClass}.`);
      await sink.flush();
      const exists = (await repo.groups()).includes(fn) || (await repo.retentions()).has(fn);
      if (exists || !(await repo.createGroup(fn, clock.now()))) throw LogsErrors.resourceAlreadyExists();
      return {};
    },
    async DeleteLogGroup(input) {
      const fn = functionOf((input as { logGroupName: string }).logGroupName);
      // Lines still buffered would otherwise land after the delete and bring the group back.
      await sink.flush();
      if (!(await repo.deleteGroup(fn))) throw LogsErrors.resourceNotFound('The specified log group does not exist.');
      return {};
    },
  };
}
