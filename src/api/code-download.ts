/** The download links of code packages (GetFunction's `Code.Location`): the zip, if the link holds. */
import type { FastifyInstance } from 'fastify';
import { CODE_LINK_PREFIX, type CodeLinks } from '../code/code-links.js';
import type { CodePackageRepo } from '../storage/store.js';

/** As S3 answers a presigned URL that does not hold, since that is what the link stands for on AWS. */
const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired or its signature does not match.</Message></Error>';

export function codeDownloadRoutes(links: CodeLinks, packages: CodePackageRepo) {
  return (app: FastifyInstance): void => {
    app.get(`${CODE_LINK_PREFIX}*`, async (req, reply) => {
      const url = new URL(req.url, 'http://localhost');
      const sha256 = links.check(url.pathname, url.searchParams);
      const zip = sha256 === undefined ? undefined : await packages.get(sha256);
      if (!zip) return reply.code(403).header('content-type', 'application/xml').send(ACCESS_DENIED);
      return reply.header('content-type', 'application/zip').header('content-length', zip.length).send(zip);
    });
  };
}
