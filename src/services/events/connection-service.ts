/**
 * EventBridge connections: their credentials go to a Secrets Manager secret named as EventBridge
 * names it (`events!connection/<name>/<uuid>`), sealed like every secret; the record keeps them
 * redacted. OAuth connections are authorized in the background (a token fetched), the others at once.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { SecretService } from '../secretsmanager/secret-service.js';
import type { DocumentRepo, Revisioned } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import { ConnectionAuthSchema, redact, type AuthorizationType, type ConnectionAuth, type ConnectionRecord, type ConnectionState } from './connection-model.js';
import { assertTransition } from './connection-states.js';
import { AuthorizationFailed, OAuthTokens } from './oauth-tokens.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export interface ConnectionSpec {
  name: string;
  description?: string | undefined;
  authorizationType: AuthorizationType;
  auth: ConnectionAuth;
}

type Parts<T> = { [K in keyof T]?: Partial<NonNullable<T[K]>> };
export type AuthChange = Parts<Omit<ConnectionAuth, 'invocation'>> & { invocation?: ConnectionAuth['invocation'] };

export interface ConnectionChange {
  description?: string | undefined;
  authorizationType?: AuthorizationType | undefined;
  /** Merged over the stored credentials, part by part. */
  auth?: AuthChange | undefined;
}

/** What an invocation needs: the connection and its credentials in the clear. */
export interface ConnectionCredentials {
  record: ConnectionRecord;
  auth: ConnectionAuth;
  /** Changes whenever the credentials do: the key of its cached OAuth token. */
  tokenKey: string;
}

export type SecretsPort = Pick<SecretService, 'create' | 'putValue' | 'getValue' | 'delete'>;

export class ConnectionService {
  readonly tokens: OAuthTokens;
  private readonly authorizing = new Set<Promise<void>>();

  constructor(
    private readonly repo: DocumentRepo<ConnectionRecord>,
    private readonly secrets: SecretsPort,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly account: Account,
  ) {
    this.tokens = new OAuthTokens(clock);
  }

  arn(c: ConnectionRecord): string {
    return `arn:aws:events:${this.account.region}:${this.account.accountId}:connection/${c.name}/${c.uuid}`;
  }

  async create(spec: ConnectionSpec): Promise<ConnectionRecord> {
    if (!NAME.test(spec.name)) throw ProtocolErrors.validation(`Connection name ${spec.name} is not valid.`);
    checkAuth(spec.authorizationType, spec.auth);
    if (await this.repo.get(spec.name)) throw EventsErrors.resourceAlreadyExists(`Connection ${spec.name} already exists.`);
    const uuid = randomUUID();
    const now = this.clock.now();
    const secret = await this.secrets.create({
      name: `events!connection/${spec.name}/${uuid}`,
      description: `Credentials of the EventBridge connection ${spec.name}`,
      value: { kind: 'string', text: JSON.stringify(spec.auth) },
      tags: [],
    });
    const oauth = spec.authorizationType === 'OAUTH_CLIENT_CREDENTIALS';
    const record: ConnectionRecord = {
      name: spec.name,
      uuid,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      authorizationType: spec.authorizationType,
      state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
      secretArn: secret.record.arn,
      auth: redact(spec.auth),
      createdAt: now,
      modifiedAt: now,
      ...(oauth ? {} : { lastAuthorizedAt: now }),
    };
    if (!(await this.repo.create(spec.name, record))) {
      await this.secrets.delete(secret.record.arn, { force: true }).catch(() => undefined);
      throw EventsErrors.resourceAlreadyExists(`Connection ${spec.name} already exists.`);
    }
    if (oauth) this.authorizeLater(spec.name);
    return record;
  }

  async get(name: string): Promise<ConnectionRecord> {
    return (await this.find(name)).value;
  }

  /** By name or ARN (an ARN must name this very connection, uuid included). */
  async byArn(arn: string): Promise<ConnectionRecord> {
    const m = /^arn:aws[\w-]*:events:[^:]*:\d{12}:connection\/([^/]+)\/(.+)$/.exec(arn);
    if (!m) throw ProtocolErrors.validation(`${arn} is not a connection ARN.`);
    const found = await this.repo.get(m[1]!);
    if (!found || found.value.uuid !== m[2]) throw EventsErrors.resourceNotFound(`Connection ${m[1]} does not exist.`);
    return found.value;
  }

  async list(prefix: string, state: string | undefined, limit: number | undefined, token: string | undefined): Promise<Page<ConnectionRecord>> {
    const size = limit ?? 100;
    const items: ConnectionRecord[] = [];
    let after = decodePageToken(token);
    // A state filter reads on until the page is full.
    for (;;) {
      const batch = await this.repo.list(prefix, after, size + 1);
      for (const r of batch) if (state === undefined || r.value.state === state) items.push(r.value);
      if (batch.length <= size || items.length > size) break;
      after = batch[batch.length - 1]!.value.name;
    }
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  async update(name: string, change: ConnectionChange): Promise<ConnectionRecord> {
    const found = await this.find(name);
    const current = await this.credentials(found.value);
    const type = change.authorizationType ?? found.value.authorizationType;
    const auth = mergeAuth(current.auth, change.auth ?? {}, type);
    checkAuth(type, auth);
    await this.secrets.putValue(found.value.secretArn, undefined, { kind: 'string', text: JSON.stringify(auth) });
    const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
    const state: ConnectionState = oauth ? 'AUTHORIZING' : 'AUTHORIZED';
    assertTransition(found.value.state, state);
    const now = this.clock.now();
    const { stateReason: _dropped, ...rest } = found.value;
    const next: ConnectionRecord = {
      ...rest,
      ...(change.description !== undefined ? { description: change.description } : {}),
      authorizationType: type,
      state,
      auth: redact(auth),
      modifiedAt: now,
      ...(oauth ? {} : { lastAuthorizedAt: now }),
    };
    if (!(await this.repo.update(name, next, found.revision))) throw EventsErrors.concurrentModification();
    this.tokens.forgetConnection(name);
    if (oauth) this.authorizeLater(name);
    return next;
  }

  /** Stops the connection's invocations until it is updated; its OAuth token is forgotten. */
  async deauthorize(name: string): Promise<ConnectionRecord> {
    const next = await this.setState(name, 'DEAUTHORIZED', 'Deauthorized by DeauthorizeConnection.');
    this.tokens.forgetConnection(name);
    return next;
  }

  async delete(name: string): Promise<ConnectionRecord> {
    const found = await this.find(name);
    if (!(await this.repo.delete(name))) throw EventsErrors.resourceNotFound(`Connection ${name} does not exist.`);
    this.tokens.forgetConnection(name);
    await this.secrets.delete(found.value.secretArn, { force: true }).catch((err: unknown) => {
      this.logger.warn('connection secret could not be deleted', { connection: name, error: (err as Error).message });
    });
    return found.value;
  }

  /** The connection's credentials in the clear, read from its secret. */
  async credentials(record: ConnectionRecord): Promise<ConnectionCredentials> {
    const { value } = await this.secrets.getValue(record.secretArn);
    if (value.kind !== 'string') throw new Error(`the secret of connection ${record.name} holds no text`);
    return { record, auth: ConnectionAuthSchema.parse(JSON.parse(value.text)), tokenKey: `${record.name}/${record.uuid}/${record.modifiedAt}` };
  }

  /** An OAuth token for the connection; a failure leaves it DEAUTHORIZED with the reason. */
  async oauthToken(c: ConnectionCredentials): Promise<string> {
    try {
      const token = await this.tokens.token(c.tokenKey, c.auth.oauth!);
      if (c.record.state !== 'AUTHORIZED') await this.setState(c.record.name, 'AUTHORIZED', undefined).catch(() => undefined);
      return token;
    } catch (err) {
      if (err instanceof AuthorizationFailed) await this.setState(c.record.name, 'DEAUTHORIZED', err.message).catch(() => undefined);
      throw err;
    }
  }

  /** Waits for background authorizations (tests, stop). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.authorizing]);
  }

  private authorizeLater(name: string): void {
    const p = (async () => {
      const record = await this.get(name);
      await this.oauthToken(await this.credentials(record));
    })()
      .catch((err: unknown) => this.logger.info('connection authorization failed', { connection: name, error: (err as Error).message }))
      .finally(() => this.authorizing.delete(p));
    this.authorizing.add(p);
  }

  private async setState(name: string, state: ConnectionState, reason: string | undefined): Promise<ConnectionRecord> {
    for (let i = 0; i < 5; i++) {
      const found = await this.find(name);
      assertTransition(found.value.state, state);
      const now = this.clock.now();
      const { stateReason: _old, ...rest } = found.value;
      const next: ConnectionRecord = { ...rest, state, ...(reason !== undefined ? { stateReason: reason } : {}), ...(state === 'AUTHORIZED' ? { lastAuthorizedAt: now } : {}) };
      if (await this.repo.update(name, next, found.revision)) return next;
    }
    throw EventsErrors.concurrentModification();
  }

  private async find(name: string): Promise<Revisioned<ConnectionRecord>> {
    const found = await this.repo.get(name);
    if (!found) throw EventsErrors.resourceNotFound(`Connection ${name} does not exist.`);
    return found;
  }
}

function checkAuth(type: AuthorizationType, auth: ConnectionAuth): void {
  const need = { API_KEY: auth.apiKey?.value, BASIC: auth.basic?.password, OAUTH_CLIENT_CREDENTIALS: auth.oauth?.clientSecret }[type];
  const part = { API_KEY: 'ApiKeyAuthParameters', BASIC: 'BasicAuthParameters', OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters' }[type];
  if (need === undefined) throw ProtocolErrors.validation(`AuthorizationType ${type} needs AuthParameters.${part}.`);
  const given = [auth.apiKey, auth.basic, auth.oauth].filter((p) => p !== undefined).length;
  if (given > 1) throw ProtocolErrors.validation('Only one of ApiKeyAuthParameters, BasicAuthParameters or OAuthParameters can be given.');
}

/** The stored credentials with the change's parts over them; parts of another authorization type are dropped. */
function mergeAuth(current: ConnectionAuth, change: AuthChange, type: AuthorizationType): ConnectionAuth {
  const apiKey = change.apiKey ? { ...current.apiKey, ...defined(change.apiKey) } : current.apiKey;
  const basic = change.basic ? { ...current.basic, ...defined(change.basic) } : current.basic;
  const oauth = change.oauth ? { ...current.oauth, ...defined(change.oauth) } : current.oauth;
  return {
    ...(type === 'API_KEY' && apiKey ? { apiKey: apiKey as ConnectionAuth['apiKey'] } : {}),
    ...(type === 'BASIC' && basic ? { basic: basic as ConnectionAuth['basic'] } : {}),
    ...(type === 'OAUTH_CLIENT_CREDENTIALS' && oauth ? { oauth: oauth as ConnectionAuth['oauth'] } : {}),
    invocation: change.invocation ?? current.invocation,
  };
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
