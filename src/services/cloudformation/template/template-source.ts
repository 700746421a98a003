/**
 * Where a template's text comes from: TemplateBody, or TemplateURL naming an object in this server's
 * S3 (path- or virtual-hosted-style on this server's URL, or an s3.amazonaws.com address, which is
 * mapped onto this server's S3). Nothing is ever fetched from the network.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';

export type ReadObject = (bucket: string, key: string) => Promise<Buffer>;

const MAX_BODY = 51_200;
const MAX_URL_TEMPLATE = 1_000_000;

/** The bucket and key an S3 URL names, or undefined when it is no S3 address this server answers for. */
export function s3Location(url: string, serverUrl: string): { bucket: string; key: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  const server = new URL(serverUrl);
  const host = u.host.toLowerCase();
  const pathStyle = () => {
    const slash = path.indexOf('/');
    return slash <= 0 ? undefined : { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  };
  if (host === server.host.toLowerCase() || host === `localhost:${server.port}`) return pathStyle();
  for (const suffix of [`.${server.host.toLowerCase()}`, `.localhost:${server.port}`]) {
    if (host.endsWith(suffix)) return { bucket: host.slice(0, host.length - suffix.length), key: path };
  }
  const hostname = u.hostname.toLowerCase();
  if (/^s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(hostname)) return pathStyle();
  const virtual = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.exec(hostname);
  if (virtual) return { bucket: virtual[1]!, key: path };
  return undefined;
}

export async function templateBodyOf(
  input: { templateBody?: string | undefined; templateUrl?: string | undefined },
  serverUrl: string,
  read: ReadObject,
): Promise<string> {
  if (input.templateBody !== undefined && input.templateUrl !== undefined) throw CloudFormationErrors.validation('Specify exactly one of TemplateBody or TemplateUrl.');
  if (input.templateBody !== undefined) {
    if (Buffer.byteLength(input.templateBody) > MAX_BODY) throw CloudFormationErrors.validation(`1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY}`);
    return input.templateBody;
  }
  if (input.templateUrl === undefined) throw CloudFormationErrors.validation('Either Template URL or Template Body must be specified.');
  const where = s3Location(input.templateUrl, serverUrl);
  if (!where) throw CloudFormationErrors.validation('TemplateURL must be a supported URL.');
  let bytes: Buffer;
  try {
    bytes = await read(where.bucket, where.key);
  } catch (err) {
    throw CloudFormationErrors.validation(`S3 error: Access Denied or the object does not exist: ${where.bucket}/${where.key} (${(err as Error).message})`);
  }
  if (bytes.length > MAX_URL_TEMPLATE) throw CloudFormationErrors.validation('Template may not exceed 1000000 bytes in size.');
  return bytes.toString('utf8');
}
