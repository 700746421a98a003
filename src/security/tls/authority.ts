/**
 * The certificate authority behind the TLS listener, created on first start in the data dir and
 * kept: the server's certificate is issued by it, and environments trust it, so function code and
 * tools that insist on HTTPS (CDK's custom-resource responses, SNS certificate URLs, WebSocket
 * callbacks) reach Selfless unchanged. The CA's key stays in `private/` (mode 0600); only `public/`
 * (the CA certificate, and the system's bundle with it appended) is shown to environments.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CertificateAuthority {
  /** Host folder with `ca.pem` and `ca-bundle.pem`, safe to show to environments. */
  readonly publicDir: string;
  readonly certPem: string;
  /** Issues a server certificate for these DNS names and IP addresses. */
  issue(names: readonly string[]): { certPem: string; keyPem: string };
}

/** Debian's bundle of public roots: kept in the bundle so functions still reach public HTTPS sites. */
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const CA_YEARS = 10;
const SERVER_DAYS = 825;

export function loadOrCreateAuthority(dataDir: string, now: Date): CertificateAuthority {
  const dir = join(dataDir, 'tls');
  const privateDir = join(dir, 'private');
  const publicDir = join(dir, 'public');
  mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  mkdirSync(publicDir, { recursive: true });
  const keyFile = join(privateDir, 'ca-key.pem');
  const certFile = join(publicDir, 'ca.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const { certPem, keyPem } = createAuthority(now);
    writeFileSync(keyFile, keyPem, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    writeFileSync(certFile, certPem);
  }
  const certPem = readFileSync(certFile, 'utf8');
  const caKey = forge.pki.privateKeyFromPem(readFileSync(keyFile, 'utf8'));
  const caCert = forge.pki.certificateFromPem(certPem);
  const system = existsSync(SYSTEM_BUNDLE) ? readFileSync(SYSTEM_BUNDLE, 'utf8') : '';
  writeFileSync(join(publicDir, 'ca-bundle.pem'), `${system.trimEnd()}\n${certPem}`);
  return {
    publicDir,
    certPem,
    issue: (names) => issueServerCertificate(caCert, caKey, names, now),
  };
}

function createAuthority(now: Date): { certPem: string; keyPem: string } {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + CA_YEARS * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: 'Selfless local certificate authority' },
    { name: 'organizationName', value: 'Selfless' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

function issueServerCertificate(caCert: forge.pki.Certificate, caKey: forge.pki.PrivateKey, names: readonly string[], now: Date) {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_DAYS * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** Keys from Node's own (native) generator; forge only builds and signs the certificates. */
function rsaKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey,
  };
}

/** A positive random serial, as certificates need. */
function serial(): string {
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

/** The names the server's certificate covers: loopback under every name clients use, and the listen address. */
export function serverNames(host: string): string[] {
  const names = ['localhost', '*.localhost', '*.s3.localhost', '*.execute-api.localhost', '127.0.0.1', '::1'];
  if (host !== '0.0.0.0' && host !== '::' && !names.includes(host)) names.push(host);
  return names;
}
