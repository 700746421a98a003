/**
 * The AWS Parameters and Secrets Lambda Extension's HTTP endpoint, provided by the platform for the
 * functions that list the extension's layer (in place of the layer's binary). Environments share
 * the host's network, so one listener serves them all; a caller is told apart by the token the
 * extension requires (`X-Aws-Parameters-Secrets-Token`: the environment's `AWS_SESSION_TOKEN`), and
 * the environment learns the port from `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, which code written
 * for the extension reads. Values come from this server's Secrets Manager and Parameter Store,
 * cached per function with the extension's own settings. Values are never logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { AwsError } from '../../wire/errors.js';
import { ExpiringCache } from './cache.js';
import { extensionSettings, type ExtensionSettings } from './settings.js';

/** Calls an operation of a service this server serves, as the router does for a client. */
export type ServiceCall = (endpointPrefix: string, operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** The extension's default port: where code that does not read the variable looks. */
export const EXTENSION_DEFAULT_PORT = 2773;

interface Caller {
  functionName: string;
  settings: ExtensionSettings;
}

interface Lookup {
  service: 'secretsmanager' | 'ssm';
  operation: string;
  input: Record<string, unknown>;
  /** The cache key within the function's cache. */
  key: string;
}

export class ParametersSecretsEndpoint {
  private server: Server | undefined;
  private starting: Promise<void> | undefined;
  private boundPort = 0;
  /** Session token → the function whose environments hold it. */
  private readonly callers = new Map<string, Caller>();
  private readonly caches = new Map<string, { settings: ExtensionSettings; cache: ExpiringCache<string> }>();

  constructor(
    private readonly call: ServiceCall,
    /** The port to listen on when it is free (0: one the system picks). */
    private readonly preferredPort: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /**
   * Listens on loopback, once, when the first function that needs the endpoint starts an
   * environment: the preferred port if it is free, else one the system picks (environments are told which).
   */
  ensureStarted(): Promise<void> {
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    try {
      this.boundPort = await listen(server, this.preferredPort);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || this.preferredPort === 0) throw err;
      this.logger.warn('the Parameters and Secrets extension port is taken: using another one (functions are told it in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT)', { port: this.preferredPort });
      this.boundPort = await listen(server, 0);
    }
    this.server = server;
  }

  /**
   * The variables an environment of a function with the extension's layer gets, and its token
   * recorded as that function's. Called for each environment launched.
   */
  environmentFor(functionName: string, userEnv: Readonly<Record<string, string>>, sessionToken: string): Record<string, string> {
    const settings = extensionSettings(userEnv);
    this.callers.set(sessionToken, { functionName, settings });
    const held = this.caches.get(functionName);
    if (!held || JSON.stringify(held.settings) !== JSON.stringify(settings)) {
      this.caches.set(functionName, { settings, cache: new ExpiringCache(this.clock, settings.cacheEnabled ? settings.cacheSize : 0) });
    }
    return { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(this.boundPort) };
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return reply(res, 405, 'Method Not Allowed: the extension answers GET requests only.');
    const token = req.headers['x-aws-parameters-secrets-token'];
    const caller = typeof token === 'string' ? this.callers.get(token) : undefined;
    if (!caller) return reply(res, 401, 'Unauthorized: the X-Aws-Parameters-Secrets-Token header must be the environment\'s AWS_SESSION_TOKEN.');
    const lookup = lookupOf(url);
    if (typeof lookup === 'string') return reply(res, lookup.startsWith('Not Found') ? 404 : 400, lookup);
    const held = this.caches.get(caller.functionName);
    const ttlMs = lookup.service === 'secretsmanager' ? caller.settings.secretsTtlMs : caller.settings.parametersTtlMs;
    const cached = held?.cache.get(lookup.key);
    if (cached !== undefined) return reply(res, 200, cached, 'application/json');
    try {
      const body = JSON.stringify(await this.call(lookup.service, lookup.operation, lookup.input));
      held?.cache.set(lookup.key, body, ttlMs);
      reply(res, 200, body, 'application/json');
    } catch (err) {
      if (err instanceof AwsError) return reply(res, err.status, JSON.stringify({ __type: err.code, message: err.message }), 'application/json');
      this.logger.error('the Parameters and Secrets extension could not answer', { function: caller.functionName, path: url.pathname, error: String(err) });
      reply(res, 500, 'Internal Server Error');
    }
  }
}

/** What a request asks for, or why it is refused. */
function lookupOf(url: URL): Lookup | string {
  const q = url.searchParams;
  if (url.pathname === '/secretsmanager/get') {
    const secretId = q.get('secretId');
    if (!secretId) return 'Bad Request: secretId is required.';
    const versionId = q.get('versionId');
    const versionStage = q.get('versionStage');
    const input = { SecretId: secretId, ...(versionId ? { VersionId: versionId } : {}), ...(versionStage ? { VersionStage: versionStage } : {}) };
    return { service: 'secretsmanager', operation: 'GetSecretValue', input, key: `secret\u0000${secretId}\u0000${versionId ?? ''}\u0000${versionStage ?? ''}` };
  }
  if (url.pathname === '/systemsmanager/parameters/get') {
    const name = q.get('name');
    if (!name) return 'Bad Request: name is required.';
    const version = q.get('version');
    const label = q.get('label');
    if (version && label) return 'Bad Request: give version or label, not both.';
    const selector = version ? `:${version}` : label ? `:${label}` : '';
    const withDecryption = (q.get('withDecryption') ?? 'false').toLowerCase() === 'true';
    return {
      service: 'ssm',
      operation: 'GetParameter',
      input: { Name: `${name}${selector}`, WithDecryption: withDecryption },
      key: `parameter\u0000${name}${selector}\u0000${withDecryption}`,
    };
  }
  return `Not Found: ${url.pathname} (the extension serves /secretsmanager/get and /systemsmanager/parameters/get).`;
}

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
