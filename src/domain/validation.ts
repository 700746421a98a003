/** Lambda's rules for function settings beyond what the service model's constraints express. */
import { RESERVED_ENV_KEYS } from '../environments/env-vars.js';
import { findRuntime, supportedRuntimes } from '../runtimes/catalog.js';
import { Errors } from '../wire/errors.js';

export const MAX_MEMORY_MB = 10240;
export const MAX_TIMEOUT_SECONDS = 900;
export const MAX_ENV_BYTES = 4096;

export function checkRuntime(runtime: string): void {
  const spec = findRuntime(runtime);
  if (!spec) {
    throw Errors.invalidParameter(
      `The runtime parameter of ${runtime} is not supported by this server. Supported runtimes: ${supportedRuntimes().join(', ')}.`,
    );
  }
  // Refused up front, as Lambda refuses a runtime it cannot run, rather than at the first invoke.
  const missing = spec.unavailable();
  if (missing) throw Errors.invalidParameter(`The runtime parameter of ${runtime} cannot be used here: ${missing}`);
}

export function checkTimeout(seconds: number): void {
  if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw Errors.invalidParameter(`Timeout value must be between 1 and ${MAX_TIMEOUT_SECONDS} seconds; got ${seconds}.`);
  }
}

export function checkMemory(mb: number): void {
  if (mb < 128 || mb > MAX_MEMORY_MB) {
    throw Errors.invalidParameter(`'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to ${MAX_MEMORY_MB}`);
  }
}

export function checkHandler(handler: string): void {
  if (handler.length === 0 || /\s/.test(handler)) throw Errors.invalidParameter(`Handler '${handler}' is not valid.`);
}

export function checkEnvironment(vars: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) {
    throw Errors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(vars);
  if (Buffer.byteLength(measured) > MAX_ENV_BYTES) {
    throw Errors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured.slice(0, 256)}${measured.length > 256 ? '...' : ''}`,
    );
  }
}
