/** LoggingConfig on the wire to the function's logging settings, with Lambda's rules. */
import type { FunctionConfig } from '../../../domain/function.js';
import { Errors } from '../../../wire/errors.js';
import type { LoggingConfigWire } from '../../../wire/lambda-shapes.js';

type Logging = FunctionConfig['logging'];

/**
 * Merges a LoggingConfig into the current settings. Levels apply to JSON logs only; switching to
 * JSON without levels gives Lambda's defaults (INFO and INFO), switching back to Text drops them.
 */
export function loggingFrom(wire: LoggingConfigWire, functionName: string, current: Logging = { format: 'Text' }): Logging {
  if (wire.LogGroup !== undefined && wire.LogGroup !== `/aws/lambda/${functionName}`) {
    throw Errors.invalidParameter(`Selfless keeps a function's logs in /aws/lambda/${functionName}: a custom LogGroup (${wire.LogGroup}) is not supported yet.`);
  }
  const format = wire.LogFormat ?? current.format;
  if (format === 'Text') {
    if (wire.ApplicationLogLevel !== undefined || wire.SystemLogLevel !== undefined) {
      throw Errors.invalidParameter('ApplicationLogLevel and SystemLogLevel can only be set when LogFormat is JSON.');
    }
    return { format };
  }
  return {
    format,
    applicationLevel: wire.ApplicationLogLevel ?? current.applicationLevel ?? 'INFO',
    systemLevel: wire.SystemLogLevel ?? current.systemLevel ?? 'INFO',
  };
}
