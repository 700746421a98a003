/** SNS's list pages: 100 items, and a NextToken that is the last ARN of the page (opaque to clients). */
export const PAGE_SIZE = 100;

export const encodeToken = (lastArn: string): string => Buffer.from(lastArn, 'utf8').toString('base64url');

export function decodeToken(token: string | undefined): string | undefined {
  return token === undefined || token === '' ? undefined : Buffer.from(token, 'base64url').toString('utf8');
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** A page from a fetch of one more than the page size: the extra item says whether there is a next page. */
export function pageOf<T extends { arn: string }>(fetched: T[]): Page<T> {
  if (fetched.length <= PAGE_SIZE) return { items: fetched };
  const items = fetched.slice(0, PAGE_SIZE);
  return { items, nextToken: encodeToken(items[items.length - 1]!.arn) };
}
