/**
 * The AWS Parameters and Secrets Lambda Extension's settings, read from the function's own
 * environment variables as the extension reads them (names, defaults and bounds as AWS documents).
 */
export interface ExtensionSettings {
  cacheEnabled: boolean;
  /** Most entries kept; the oldest goes first. */
  cacheSize: number;
  /** How long a secret stays cached (0: not cached). */
  secretsTtlMs: number;
  /** How long a parameter stays cached (0: not cached). */
  parametersTtlMs: number;
  /** The port the function asked the extension to listen on (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`), if any. */
  httpPort: number | undefined;
}

const DEFAULT_TTL_SECONDS = 300;
const MAX_CACHE_SIZE = 1000;

export function extensionSettings(env: Readonly<Record<string, string>>): ExtensionSettings {
  return {
    cacheEnabled: (env['PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED'] ?? 'true').toLowerCase() !== 'false',
    cacheSize: bounded(env['PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE'], MAX_CACHE_SIZE, MAX_CACHE_SIZE),
    secretsTtlMs: 1000 * bounded(env['SECRETS_MANAGER_TTL'], DEFAULT_TTL_SECONDS, DEFAULT_TTL_SECONDS),
    parametersTtlMs: 1000 * bounded(env['SSM_PARAMETER_STORE_TTL'], DEFAULT_TTL_SECONDS, DEFAULT_TTL_SECONDS),
    httpPort: port(env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT']),
  };
}

/** An integer setting in [0, max]; anything else takes the default, as the extension does. */
function bounded(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return fallback;
  const n = Number(raw.trim());
  return n <= max ? n : fallback;
}

/** A port number in [1, 65535], as the extension accepts; anything else: none asked. */
function port(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= 1 && n <= 65535 ? n : undefined;
}
