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
import { extensionSettings } from './settings.js';

/** Calls an operation of a service this server serves, as the router does for a client, as `principal`. */
export type ServiceCall = (endpointPrefix: string, operation: string, input: Record<string, unknown>, principal: Principal) => Promise<unknown>;

/** The extension's default port: where code that does not read the variable looks. */
export const EXTENSION_DEFAULT_PORT = 2773;

export class ParametersSecretsEndpoint implements ProvidedExtension {
  private readonly servers: Server[] = [];
  /** The listener on the platform's port (`--extension-port`, or one the system picked). */
  private main: Promise<number> | undefined;
  private mainPort = 0;
  /** Ports functions asked for in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT → where that is served (undefined: taken). */
  private readonly asked = new Map<number, Promise<number | undefined>>();
  private readonly askedPorts = new Map<number, number>();
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
    return this.mainPort;
  }

  /**
   * Listens on loopback when the first function that needs the endpoint starts an environment: the
   * platform's port if it is free, else one the system picks; and, for a function that asks for a port
   * of its own (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT), that one too when it is free. Each environment
   * is told in that variable where it is served.
   */
  async ensureStarted(functionEnv: Readonly<Record<string, string>>): Promise<void> {
    this.main ??= this.listenOn(this.preferredPort, true).then(
      (port) => (this.mainPort = port),
      (err: unknown) => {
        this.main = undefined;
        throw err;
      },
    );
    await this.main;
    const wanted = extensionSettings(functionEnv).httpPort;
    if (wanted === undefined || wanted === this.preferredPort || wanted === this.mainPort) return;
    let served = this.asked.get(wanted);
    if (!served) {
      served = this.listenOn(wanted, false).then(
        (port) => {
          this.askedPorts.set(wanted, port);
          return port;
        },
        (err: unknown) => {
          this.logger.warn('a function asked the Parameters and Secrets extension for a port that is taken: it is told another in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', { port: wanted, error: String(err) });
          return undefined;
        },
      );
      this.asked.set(wanted, served);
    }
    await served;
  }

  private async listenOn(port: number, orAnother: boolean): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    let bound: number;
    try {
      bound = await listen(server, port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !orAnother || port === 0) throw err;
      this.logger.warn('the Parameters and Secrets extension port is taken: using another one (functions are told it in PARAMETERS_SECRETS_EXTENSION_HTTP_PORT)', { port });
      bound = await listen(server, 0);
    }
    this.servers.push(server);
    return bound;
  }

  attach(environment: ExtensionCaller): Record<string, string> {
    this.callers.attach(environment);
    const wanted = extensionSettings(environment.functionEnv).httpPort;
    const port = (wanted === undefined ? undefined : this.askedPorts.get(wanted)) ?? this.mainPort;
    return { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port) };
  }

  invoking(envId: string, owns: ConnectionCheck | undefined): void {
    this.callers.invoking(envId, owns);
  }

  detach(envId: string): void {
    this.callers.detach(envId);
  }

  async close(): Promise<void> {
    await this.main?.catch(() => undefined);
    await Promise.all([...this.asked.values()]);
    const servers = this.servers.splice(0);
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
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
