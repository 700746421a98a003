/**
 * SNS message signatures. The server makes an RSA key pair and a self-signed certificate once, in the
 * data dir, and signs each message's canonical string with it: SHA1withRSA for SignatureVersion 1,
 * SHA256withRSA for 2, as SNS does. The certificate is served so receivers can verify.
 */
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type SignatureVersion = '1' | '2';

/** The fields of a message that its signature covers, in the order SNS signs them. */
const SIGNED: Record<'Notification' | 'SubscriptionConfirmation', readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The string SNS signs: `Name\nValue\n` for each signed field present. */
export function stringToSign(message: Readonly<Record<string, unknown>>): string {
  const fields = SIGNED[message['Type'] as keyof typeof SIGNED];
  if (!fields) throw new Error(`no signing rule for message type ${String(message['Type'])}`);
  return fields
    .filter((f) => message[f] !== undefined && message[f] !== null)
    .map((f) => `${f}\n${String(message[f])}\n`)
    .join('');
}

/**
 * Signatures kept for reuse. The signed fields leave out the subscription, so every subscription of
 * one publish (ten queues of a fan-out) carries the same signature: one RSA signing, not ten.
 */
const REUSED_SIGNATURES = 1024;

export class MessageSigner {
  /** By version and a digest of the string signed, oldest first. */
  private readonly recent = new Map<string, Promise<string>>();

  private constructor(
    private readonly privateKey: KeyObject,
    /** The certificate, PEM, as served at the SigningCertURL. */
    readonly certificate: string,
  ) {}

  /** Loads the key pair from `dir`, making it first if this data dir has none. */
  static async open(dir: string): Promise<MessageSigner> {
    const key = join(dir, 'signing-key.pem');
    const cert = join(dir, 'signing-cert.pem');
    if (!existsSync(key) || !existsSync(cert)) {
      mkdirSync(dir, { recursive: true });
      // Node makes keys but not X.509 certificates; openssl (in every Debian base image) does both.
      await promisify(execFile)('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
        '-subj', '/CN=sns.selfless.local', '-keyout', key, '-out', cert,
      ]);
    }
    return new MessageSigner(createPrivateKey(readFileSync(key, 'utf8')), readFileSync(cert, 'utf8'));
  }

  /** Signs on libuv's thread pool (RSA is the costliest step of a fan-out), off the event loop. */
  sign(message: Readonly<Record<string, unknown>>, version: SignatureVersion): Promise<string> {
    const text = stringToSign(message);
    const key = `${version}:${createHash('sha256').update(text, 'utf8').digest('base64')}`;
    let signature = this.recent.get(key);
    if (signature === undefined) {
      signature = new Promise<string>((resolve, reject) =>
        sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(text, 'utf8'), this.privateKey, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64')))),
      );
      if (this.recent.size >= REUSED_SIGNATURES) this.recent.delete(this.recent.keys().next().value!);
      this.recent.set(key, signature);
      signature.catch(() => this.recent.delete(key));
    }
    return signature;
  }
}
