/**
 * Delivery to an API destination: the request made from the event (http-invocation.ts), sent once
 * the destination's rate limit allows, with the connection's credentials. An OAuth 401 fetches a new
 * token and tries once more at once. Failures map to the target delivery's retry rules: 401, 407,
 * 409, 429, 5xx, timeouts and network errors are retried; other answers go to the dead-letter queue.
 */
import type { Clock } from '../../lib/clock.js';
import type { ApiDestinationService } from './api-destination-service.js';
import type { ConnectionCredentials, ConnectionService } from './connection-service.js';
import { buildRequest, isRetryableStatus } from './http-invocation.js';
import { requestWithTimeout } from './http-timeout.js';
import { AuthorizationFailed } from './oauth-tokens.js';
import { RateLimiter } from './rate-limiter.js';
import { DeliveryError, type TargetSender } from './target-delivery.js';

export function apiDestinationSender(destinations: ApiDestinationService, connections: ConnectionService, clock: Clock): TargetSender {
  const limiter = new RateLimiter(clock);
  return {
    async send(target, body) {
      const destination = await destinations.byArn(target.arn);
      if (!destination) throw new DeliveryError('RESOURCE_NOT_FOUND', `API destination ${target.arn} does not exist.`, false);
      const record = await connections.get(destination.connectionName).catch(() => undefined);
      if (!record) throw new DeliveryError('RESOURCE_NOT_FOUND', `Connection ${destination.connectionArn} does not exist.`, false);
      if (record.state === 'DEAUTHORIZED' || record.state === 'DEAUTHORIZING') {
        throw new DeliveryError('SDK_CLIENT_ERROR', `Connection ${record.name} is not authorized${record.stateReason ? `: ${record.stateReason}` : '.'}`, false);
      }
      const creds = await connections.credentials(record);
      if (!(await limiter.take(`${destination.name}/${destination.uuid}`, destination.rateLimitPerSecond))) {
        throw new DeliveryError('THROTTLING', `API destination ${destination.name} is over its invocation rate limit.`, true);
      }
      const call = async (): Promise<Response> => {
        const authorization = await authorizationOf(connections, creds);
        const req = buildRequest(destination.endpoint, destination.httpMethod, body, target.http ?? {}, creds.auth, authorization);
        return requestWithTimeout(req.url, req, clock).catch((err: unknown) => {
          throw new DeliveryError('SDK_CLIENT_ERROR', `Request to ${destination.endpoint} failed: ${(err as Error).message}`, true);
        });
      };
      let res = await call();
      if (res.status === 401 && creds.auth.oauth) {
        connections.tokens.forget(creds.tokenKey);
        res = await call();
      }
      if (res.status >= 200 && res.status < 300) return;
      const text = (await res.text()).slice(0, 512);
      throw new DeliveryError(res.status === 429 ? 'THROTTLING' : 'SDK_CLIENT_ERROR', `The API destination answered ${res.status}${text ? `: ${text}` : ''}`, isRetryableStatus(res.status));
    },
  };
}

async function authorizationOf(connections: ConnectionService, creds: ConnectionCredentials): Promise<string | undefined> {
  if (!creds.auth.oauth) return undefined;
  try {
    return `Bearer ${await connections.oauthToken(creds)}`;
  } catch (err) {
    if (err instanceof AuthorizationFailed) throw new DeliveryError('SDK_CLIENT_ERROR', err.message, true);
    throw err;
  }
}
