/**
 * Function URLs as a front door: a request to `<id>.lambda-url.<region>.<host>` or
 * `/lambda-url/<id>/…` runs the URL's function with the payload format 2.0 event and answers with
 * its result. No framework: this is an invoke path, on the same exchange as the Invoke API's.
 */
import { urlOf } from '../../domain/function.js';
import type { FunctionService } from '../../functions/function-service.js';
import type { Invoker } from '../../invoke/invoker.js';
import type { Clock } from '../../lib/clock.js';
import { newRequestId } from '../../lib/ids.js';
import { SignatureRefused, type Authenticator } from '../../security/authenticator.js';
import type { Account } from '../../wire/arn.js';
import { isThrottled } from '../../wire/errors.js';
import type { FrontDoor, FrontDoorTarget } from '../../api/front-door.js';
import type { Exchange } from '../../api/exchange.js';
import { BODY_LIMIT } from '../../api/request-body.js';
import { corsHeaders, parseCors, preflight } from './url-cors.js';
import { urlEvent } from './url-event.js';
import { writeUrlError, writeUrlResult } from './url-result.js';
import { urlResponseStream, type UrlStream } from './url-response-stream.js';

export interface UrlDoorDeps {
  functions: FunctionService;
  invoker: Invoker;
  account: Account;
  clock: Clock;
  authenticator: Authenticator;
}

function json(ex: Exchange, status: number, body: unknown, close = false): void {
  ex.reply(status, { 'content-type': 'application/json' }, JSON.stringify(body), close);
}

export class FunctionUrlDoor implements FrontDoor {
  readonly kind = 'lambda-url' as const;

  constructor(private readonly d: UrlDoorDeps) {}

  async serve(ex: Exchange, target: FrontDoorTarget): Promise<boolean> {
    const { functions, invoker } = this.d;
    const owner = await functions.functionForUrl(target.id);
    const fn = owner ? await functions.get(owner.name).catch(() => undefined) : undefined;
    const url = fn && urlOf(fn, owner?.alias);
    if (!fn || !url) return false;
    let body: Buffer;
    try {
      body = await ex.body(BODY_LIMIT);
    } catch {
      json(ex, 413, { Message: 'Request Too Long' }, true);
      return true;
    }
    if (url.authType === 'AWS_IAM') {
      const refused = await this.signatureRefusal(ex, body);
      if (refused !== undefined) {
        json(ex, 403, refused);
        return true;
      }
    }
    const requestId = newRequestId();
    const method = ex.method;
    const cors = parseCors(url.cors);
    // A CORS preflight is the URL's own to answer: the function never sees it.
    const pre = preflight(cors, method, ex.headers);
    if (pre) {
      ex.reply(pre.status, Object.assign({}, pre.headers, { 'x-amzn-requestid': requestId, 'content-length': 0 }), undefined, false);
      return true;
    }
    const allow = corsHeaders(cors, ex.headers);
    const now = this.d.clock.now();
    const event = urlEvent({ ex, urlId: target.id, path: target.path, query: target.query, body, accountId: this.d.account.accountId, requestId, now });
    let stream: UrlStream | undefined;
    try {
      const resolved = await invoker.resolve(owner?.alias === undefined ? { name: fn.name } : { name: fn.name, qualifier: owner.alias });
      // RESPONSE_STREAM: the function's bytes go to the client as they are written.
      stream = url.invokeMode === 'RESPONSE_STREAM' ? urlResponseStream(ex, requestId, allow) : undefined;
      const result = await invoker.invoke(resolved, Buffer.from(JSON.stringify(event)), { requestId, ...(stream ? { responseSink: stream.sink } : {}) });
      if (stream?.started) return true;
      if (!result.outcome.ok) writeUrlError(ex, requestId, 502, allow);
      else writeUrlResult(ex, requestId, result.outcome.payload, allow);
    } catch (err) {
      stream?.close();
      writeUrlError(ex, requestId, isThrottled(err) ? 429 : 502, allow);
    }
    return true;
  }

  /**
   * Why an `AWS_IAM` URL refuses the request, as Lambda's URLs answer: `Forbidden` with no signature,
   * AWS's message for one that does not hold (signed for the `lambda` service). The signature covers
   * the request as the client sent it, so the path is the raw one of either addressing form.
   */
  private async signatureRefusal(ex: Exchange, body: Buffer): Promise<Record<string, string> | undefined> {
    const raw = ex.url;
    const presigned = raw.includes('X-Amz-Signature=');
    if (typeof ex.headers['authorization'] !== 'string' && !presigned) return { Message: 'Forbidden' };
    const q = raw.indexOf('?');
    try {
      await this.d.authenticator.authenticate({ method: ex.method, path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: ex.headers, body }, { service: 'lambda' });
      return undefined;
    } catch (err) {
      if (err instanceof SignatureRefused) return { message: err.message };
      throw err;
    }
  }
}
