/** A request to a REST API as the data plane sees it, read once from node:http. */
import type { SignableRequest } from '../../../security/authenticator.js';

export interface GatewayRequest {
  requestId: string;
  /** `x-amz-apigw-id`: API Gateway's own id for the request (its extendedRequestId). */
  apigwId: string;
  apiId: string;
  stage: string;
  accountId: string;
  httpMethod: string;
  /** The path after the stage, beginning with `/`, still percent-encoded. */
  path: string;
  /** Header names as the client wrote them, in order, repeated names kept. */
  headers: readonly (readonly [string, string])[];
  query: readonly (readonly [string, string])[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  domainName: string;
  /** On a custom domain: the path as the client sent it, mapping key included (the event's `path`). */
  clientPath?: string;
  timeEpoch: number;
  /** The request as the client signed it (AWS_IAM methods verify its signature). */
  signable: SignableRequest;
}

/** A header's last value, by case-insensitive name. */
export function header(req: GatewayRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [k, v] of req.headers) if (k.toLowerCase() === lower) found = v;
  return found;
}

export function queryParam(req: GatewayRequest, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of req.query) if (k === name) found = v;
  return found;
}

/** Whether a media type (`image/png; charset=x`) is among the API's binary media types (`image/*`, `*\/*`). */
export function isBinaryType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (contentType === undefined || binaryMediaTypes.length === 0) return false;
  const types = contentType.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  return types.some((type) => {
    const [main, sub] = type.split('/');
    return binaryMediaTypes.some((b) => {
      const [bm, bs] = b.toLowerCase().split('/');
      return (bm === '*' || bm === main) && (bs === '*' || bs === sub);
    });
  });
}

/** `05/Dec/2026:23:30:36 +0000`, as `requestContext.requestTime` gives it. */
export function requestTime(epoch: number): string {
  const d = new Date(epoch);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
