/** How Selfless's own routes (/_selfless/...) answer an error: AWS's error header and body shape. */
import type { FastifyReply } from 'fastify';
import { AwsError, Errors } from '../wire/errors.js';

export function sendAdminError(reply: FastifyReply, err: unknown): FastifyReply {
  const e = err instanceof AwsError ? err : err instanceof SyntaxError ? Errors.invalidRequestContent('The body is not valid JSON.') : Errors.service();
  return reply.code(e.status).header('x-amzn-ErrorType', e.code).send({ Type: e.type, Message: e.message });
}
