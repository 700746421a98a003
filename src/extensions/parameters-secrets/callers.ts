/**
 * The environments that may call the extension's endpoint: those of functions that list its layer,
 * from their launch until they end. Each is known by its own `AWS_SESSION_TOKEN` (a session issued
 * for that environment alone), and answers are computed with its credentials and from its own cache,
 * as each Lambda environment runs its own copy of the extension. An environment still in its init
 * phase is known but not yet served: the extension answers during the invoke phase only.
 */
import type { Clock } from '../../lib/clock.js';
import type { ConnectionCheck } from '../../environments/environment.js';
import type { ExtensionCaller } from '../../environments/registry.js';
import type { FunctionCredentials } from '../../security/authentication.js';
import { ExpiringCache } from './cache.js';
import { extensionSettings, type ExtensionSettings } from './settings.js';

export interface Caller {
  envId: string;
  functionName: string;
  credentials: FunctionCredentials;
  settings: ExtensionSettings;
  /** Bodies of answers, by what was asked. */
  cache: ExpiringCache<string>;
  /** Its init phase is over. */
  invoking: boolean;
  /** Tells its own connections apart, when the platform can (sandboxed environments). */
  owns: ConnectionCheck | undefined;
}

/** A connection to the endpoint: its socket, and its ports on loopback. */
export interface Connection {
  socket: object;
  clientPort: number;
  serverPort: number;
}

/** Who a token names: a caller, or why none can be served. */
export type Identified = { caller: Caller } | { refused: 'unknown' | 'initialising' };

export class Callers {
  private readonly byEnv = new Map<string, Caller>();
  /** Token → the environments holding it: one, unless functions share the platform's own credentials. */
  private readonly byToken = new Map<string, Set<string>>();
  /** Connections already found to belong to an environment: checked once, not on each request. */
  private readonly owners = new WeakMap<object, string>();

  constructor(private readonly clock: Clock) {}

  attach(e: ExtensionCaller): void {
    const settings = extensionSettings(e.functionEnv);
    const cache = new ExpiringCache<string>(this.clock, settings.cacheEnabled ? settings.cacheSize : 0);
    this.byEnv.set(e.envId, { envId: e.envId, functionName: e.functionName, credentials: e.credentials, settings, cache, invoking: false, owns: undefined });
    const token = e.credentials.sessionToken;
    let holders = this.byToken.get(token);
    if (!holders) this.byToken.set(token, (holders = new Set()));
    holders.add(e.envId);
  }

  invoking(envId: string, owns: ConnectionCheck | undefined): void {
    const caller = this.byEnv.get(envId);
    if (!caller) return;
    caller.invoking = true;
    caller.owns = owns;
  }

  detach(envId: string): void {
    const caller = this.byEnv.get(envId);
    if (!caller) return;
    this.byEnv.delete(envId);
    const holders = this.byToken.get(caller.credentials.sessionToken);
    holders?.delete(envId);
    if (holders?.size === 0) this.byToken.delete(caller.credentials.sessionToken);
  }

  /**
   * The live environment a token (and, where environments can be told apart by their connections,
   * the connection) belongs to. A token held by environments of several functions names none of them.
   */
  async identify(token: string | undefined, conn: Connection): Promise<Identified> {
    const holders = token === undefined ? undefined : this.byToken.get(token);
    const candidates = [...(holders ?? [])].map((id) => this.byEnv.get(id)!);
    if (candidates.length === 0 || new Set(candidates.map((c) => c.functionName)).size > 1) return { refused: 'unknown' };
    const checked = candidates.filter((c) => c.owns !== undefined);
    if (checked.length > 0) {
      const known = candidates.find((c) => c.envId === this.owners.get(conn.socket));
      if (known) return { caller: known };
      for (const c of checked) {
        if (await c.owns!(conn.clientPort, conn.serverPort)) {
          this.owners.set(conn.socket, c.envId);
          return { caller: c };
        }
      }
      // Environments not yet invoked have no check: a connection of theirs is one in its init phase.
      return candidates.some((c) => !c.invoking) ? { refused: 'initialising' } : { refused: 'unknown' };
    }
    const serving = candidates.find((c) => c.invoking);
    return serving ? { caller: serving } : { refused: 'initialising' };
  }
}
