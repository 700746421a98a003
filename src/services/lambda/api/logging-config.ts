/** LoggingConfig on the wire to the function's logging settings, with Lambda's rules. */
import type { FunctionConfig } from '../../../domain/function.js';
import { isValidGroupName } from '../../logs/group-names.js';
import { Errors } from '../../../wire/errors.js';
import type { LoggingConfig } from '../../../wire/inputs/lambda.js';

type Logging = FunctionConfig['logging'];

/**
 * Merges a LoggingConfig into the current settings. Levels apply to JSON logs only; switching to
 * JSON without levels gives Lambda's defaults (INFO and INFO), switching back to Text drops them.
 * A LogGroup is any log group name (several functions may share one; it need not exist yet); the
 * function's own `/aws/lambda/<name>` is kept as no custom group at all.
 */
export function loggingFrom(wire: LoggingConfig, functionName: string, current: Logging = { format: 'Text' }): Logging {
  const group = groupFrom(wire.LogGroup, functionName, current.group);
  const format = wire.LogFormat ?? current.format;
  if (format === 'Text') {
    if (wire.ApplicationLogLevel !== undefined || wire.SystemLogLevel !== undefined) {
      throw Errors.invalidParameter('ApplicationLogLevel and SystemLogLevel can only be set when LogFormat is JSON.');
    }
    return { format, ...group };
  }
  return {
    ...group,
    format,
    applicationLevel: wire.ApplicationLogLevel ?? current.applicationLevel ?? 'INFO',
    systemLevel: wire.SystemLogLevel ?? current.systemLevel ?? 'INFO',
  };
}

function groupFrom(name: string | undefined, functionName: string, current: string | undefined): { group?: string } {
  if (name === undefined) return current === undefined ? {} : { group: current };
  if (!isValidGroupName(name)) {
    throw Errors.invalidParameter(`LogGroup ${name} is not a log group name: 1 to 512 of the characters [.-_/#A-Za-z0-9].`);
  }
  return name === `/aws/lambda/${functionName}` ? {} : { group: name };
}
