/**
 * Serves the certificate SNS messages are signed with, at their SigningCertURL. Over the plain port
 * for now: AWS serves it over HTTPS, which arrives with the HTTPS listener.
 */
import type { FastifyInstance } from 'fastify';
import { SIGNING_CERT_PATH } from '../envelopes.js';
import type { MessageSigner } from '../signing.js';

export const snsSigningCertRoute = (signer: MessageSigner) => (app: FastifyInstance) => {
  app.get(SIGNING_CERT_PATH, async (_req, reply) => reply.type('application/x-x509-ca-cert').send(signer.certificate));
};
