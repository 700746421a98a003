/**
 * Log streams written by callers: CreateLogStream, DeleteLogStream and PutLogEvents (no sequence
 * tokens, as CloudWatch Logs today). Events go through the same sink as function logs, so metric and
 * subscription filters see them, and GetLogEvents and FilterLogEvents read them back.
 */
import type { Clock } from '../../../lib/clock.js';
import type { LogRepo } from '../../../storage/store.js';
import type { BufferedLogSink, LogSink } from '../../../telemetry/log-sink.js';
import { LogsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { groupKey, isValidGroupName, nameOfIdentifier } from '../group-names.js';
import { sortBatch } from '../put-events.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

const STREAM_NAME = /^[^:*]{1,512}$/;

export function logStreamHandlers(repo: LogRepo, sink: LogSink, buffered: BufferedLogSink, clock: Clock): Record<string, OperationHandler> {
  const groupExists = async (key: string) => (await repo.groups()).includes(key) || (await repo.retentions()).has(key);
  const existingGroup = async (identifier: string | undefined): Promise<string> => {
    const name = nameOfIdentifier(identifier ?? '');
    const key = isValidGroupName(name) ? groupKey(name) : undefined;
    if (key === undefined || !(await groupExists(key))) throw LogsErrors.resourceNotFound('The specified log group does not exist.');
    return key;
  };
  const streamName = (name: string): string => {
    if (!STREAM_NAME.test(name)) throw LogsErrors.invalidParameter(`${name} is not a valid log stream name: 1 to 512 characters, neither ':' nor '*'.`);
    return name;
  };

  return typedHandlers<LogsInputs>({
    async CreateLogStream(i) {
      const stream = streamName(i.logStreamName);
      await buffered.flush();
      const key = await existingGroup(i.logGroupName);
      if (!(await repo.createStream(key, stream, clock.now()))) throw LogsErrors.streamAlreadyExists();
      return {};
    },

    async DeleteLogStream(i) {
      await buffered.flush();
      const key = await existingGroup(i.logGroupName);
      if (!(await repo.deleteStream(key, i.logStreamName))) throw LogsErrors.resourceNotFound('The specified log stream does not exist.');
      return {};
    },

    async PutLogEvents(i) {
      const name = nameOfIdentifier(i.logGroupName);
      let key = isValidGroupName(name) ? groupKey(name) : undefined;
      // A stream exists only in a group that does, so the usual case costs one lookup.
      if (key === undefined || !(await repo.hasStream(key, i.logStreamName))) {
        // A stream made by a function's lines may still be in the buffer.
        await buffered.flush();
        key = await existingGroup(name);
        if (!(await repo.hasStream(key, i.logStreamName))) throw LogsErrors.resourceNotFound('The specified log stream does not exist.');
      }
      const { accepted, rejected } = sortBatch(i.logEvents, clock.now(), (await repo.retentions()).get(key));
      if (accepted.length > 0) {
        sink.append({ functionName: key, stream: i.logStreamName, requestId: null, lines: accepted });
        // Acknowledged events are stored, as CloudWatch's are once PutLogEvents answers.
        await buffered.flush();
      }
      return rejected ? { rejectedLogEventsInfo: rejected } : {};
    },
  });
}
