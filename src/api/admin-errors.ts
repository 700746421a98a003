/** How Selfless's own routes (/_selfless/...) answer an error: as the REST-JSON APIs do. */
import type { FastifyReply } from 'fastify';
import { AwsError, Errors } from '../wire/errors.js';
import { renderRestJsonError } from '../wire/protocols/rest-json.js';

export function sendAdminError(reply: FastifyReply, err: unknown): FastifyReply {
  const e = err instanceof AwsError ? err : err instanceof SyntaxError ? Errors.invalidRequestContent('The body is not valid JSON.') : Errors.service();
  const parts = renderRestJsonError(e, undefined);
  return reply.code(parts.status).headers(parts.headers).send(parts.body);
}
