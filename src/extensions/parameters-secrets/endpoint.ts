/**
 * The AWS Parameters and Secrets Lambda Extension's HTTP endpoint, provided by the platform for the
 * functions that list the extension's layer (in place of the layer's binary). Environments share
 * the host's network, so one listener on loopback serves them all; a request is answered only for a
 * live environment of such a function, named by the token the extension requires
 * (`X-Aws-Parameters-Secrets-Token`: the environment's own `AWS_SESSION_TOKEN`, a session issued for
 * it alone) and, in a sandbox, only on a connection of that environment's processes. It is served
 * during the environment's invoke phase, as the extension is, with that environment's credentials
 * and from its own cache, under the extension's settings from the function's variables. Environments
 * learn the port from `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`. Values are never logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ConnectionCheck } from '../../environments/environment.js';
import type { ExtensionCaller, ProvidedExtension } from '../../environments/registry.js';
import type { Principal } from '../../security/authenticator.js';
import { AwsError } from '../../wire/errors.js';
import { found, internalFailure, Refusals, send, serviceError, type Answer } from './answers.js';
import { Callers, type Caller } from './callers.js';
import { isServedPath, lookupOf, type Lookup } from './requests.js';

/** Calls an operation of a service this server serves, as the router does for a client, as `principal`. */
export type ServiceCall = (endpointPrefix: string, operation: string, input: Record<string, unknown>, principal: Principal) => Promise<unknown>;

/** The extension's default port: where code that does not read the variable looks. */
export const EXTENSION_DEFAULT_PORT = 2773;

export class ParametersSecretsEndpoint implements ProvidedExtension {
  private server: Server | undefined;
  private starting: Promise<void> | undefined;
  private boundPort = 0;
  private readonly callers: Callers;

  constructor(
    private readonly call: ServiceCall,
    /** The port to listen on when it is free (0: one the system picks). */
    private readonly preferredPort: number,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.callers = new Callers(clock);
  }

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

  attach(environment: ExtensionCaller): Record<string, string> {
    this.callers.attach(environment);
    return { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(this.boundPort) };
  }

  invoking(envId: string, owns: ConnectionCheck | undefined): void {
    this.callers.invoking(envId, owns);
  }

  detach(envId: string): void {
    this.callers.detach(envId);
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
    try {
      send(res, await this.answer(req));
    } catch (err) {
      this.logger.error('the Parameters and Secrets extension could not answer', { error: String(err) });
      send(res, internalFailure());
    }
  }

  private async answer(req: IncomingMessage): Promise<Answer> {
    if (req.headers['x-forwarded-for'] !== undefined) return Refusals.forwarded();
    const token = req.headers['x-aws-parameters-secrets-token'];
    const who = await this.callers.identify(typeof token === 'string' ? token : undefined, {
      socket: req.socket,
      clientPort: req.socket.remotePort ?? 0,
      serverPort: req.socket.localPort ?? 0,
    });
    if ('refused' in who && who.refused === 'unknown') return Refusals.badToken();
    if (req.method !== 'GET') return Refusals.method();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!isServedPath(url.pathname)) return Refusals.notFound(url.pathname);
    if ('refused' in who) return Refusals.initialising();
    const lookup = lookupOf(url);
    return 'status' in lookup ? lookup : this.lookUp(who.caller, lookup);
  }

  private async lookUp(caller: Caller, lookup: Lookup): Promise<Answer> {
    const cached = caller.cache.get(lookup.key);
    if (cached !== undefined) return found(cached);
    const principal: Principal = { accessKeyId: caller.credentials.accessKeyId, sessionToken: caller.credentials.sessionToken };
    try {
      const body = JSON.stringify(await this.call(lookup.service, lookup.operation, lookup.input, principal));
      caller.cache.set(lookup.key, body, lookup.service === 'secretsmanager' ? caller.settings.secretsTtlMs : caller.settings.parametersTtlMs);
      return found(body);
    } catch (err) {
      if (err instanceof AwsError) return serviceError(lookup.service, err);
      this.logger.error('the Parameters and Secrets extension could not answer', { function: caller.functionName, operation: lookup.operation, error: String(err) });
      return internalFailure();
    }
  }
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
