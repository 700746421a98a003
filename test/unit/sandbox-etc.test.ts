import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SandboxEtc } from '../../src/environments/sandbox/sandbox-etc.js';

/** A stand-in for the host's /etc: two files, a time zone link into /usr, a link out of it, a TLS folder. */
function hostEtc(): string {
  const etc = mkdtempSync(join(tmpdir(), 'host-etc-'));
  writeFileSync(join(etc, 'resolv.conf'), 'nameserver 10.0.0.1\n');
  writeFileSync(join(etc, 'hosts'), '127.0.0.1 localhost\n');
  writeFileSync(join(etc, 'shadow'), 'root:secret\n');
  writeFileSync(join(etc, 'real-mime.types'), 'text/plain txt\n');
  symlinkSync('/usr/share/zoneinfo/Etc/UTC', join(etc, 'localtime'));
  symlinkSync(join(etc, 'real-mime.types'), join(etc, 'mime.types'));
  mkdirSync(join(etc, 'ssl'));
  return etc;
}

describe('the sandbox /etc', () => {
  it('holds copies of the files a program needs, its own users and mount points for the bound folders, nothing else', () => {
    const host = hostEtc();
    const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'etc');
    const etc = new SandboxEtc(dir, host);

    assert.deepEqual(readdirSync(dir).sort(), ['group', 'hosts', 'localtime', 'mime.types', 'passwd', 'resolv.conf', 'ssl']);
    assert.equal(readFileSync(join(dir, 'resolv.conf'), 'utf8'), 'nameserver 10.0.0.1\n');
    assert.match(readFileSync(join(dir, 'passwd'), 'utf8'), /^sbx_user1051:x:993:990:/m);
    assert.doesNotMatch(readFileSync(join(dir, 'passwd'), 'utf8'), /^root:secret/m);
    // A link into /usr stays a link (/usr is bound inside); one leading elsewhere becomes a copy.
    assert.equal(readlinkSync(join(dir, 'localtime')), '/usr/share/zoneinfo/Etc/UTC');
    assert.ok(!lstatSync(join(dir, 'mime.types')).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'mime.types'), 'utf8'), 'text/plain txt\n');
    assert.deepEqual(etc.mountArgs(), ['--ro-bind', dir, '/etc', '--ro-bind', join(host, 'ssl'), '/etc/ssl']);
  });

  it('makes mount points for an environment\'s own mounts under /etc, and refuses one that leaves it', () => {
    const host = hostEtc();
    const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'etc');
    const etc = new SandboxEtc(dir, host);
    const trust = mkdtempSync(join(tmpdir(), 'trust-'));
    writeFileSync(join(trust, 'ca.pem'), 'pem');
    etc.mountArgs([{ host: trust, target: '/etc/selfless/tls' }, { host: join(trust, 'ca.pem'), target: '/etc/pki/ca.pem' }, { host: trust, target: '/opt/x' }]);
    assert.ok(lstatSync(join(dir, 'selfless', 'tls')).isDirectory());
    assert.ok(lstatSync(join(dir, 'pki', 'ca.pem')).isFile());
    assert.ok(!readdirSync(dir).includes('opt'));
    assert.throws(() => etc.mountArgs([{ host: trust, target: '/etc/../var/x' }]), /outside \/etc/);
  });

  it('copies again what the host changed before the next launch, and drops what it removed', () => {
    const host = hostEtc();
    const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'etc');
    const etc = new SandboxEtc(dir, host);

    // Same size, replaced by rename as resolvers do: a new inode.
    writeFileSync(join(host, 'resolv.conf.tmp'), 'nameserver 10.0.0.2\n');
    rmSync(join(host, 'resolv.conf'));
    writeFileSync(join(host, 'resolv.conf'), readFileSync(join(host, 'resolv.conf.tmp')));
    rmSync(join(host, 'hosts'));
    writeFileSync(join(host, 'nsswitch.conf'), 'hosts: files dns\n');
    etc.mountArgs();

    assert.equal(readFileSync(join(dir, 'resolv.conf'), 'utf8'), 'nameserver 10.0.0.2\n');
    assert.equal(readFileSync(join(dir, 'nsswitch.conf'), 'utf8'), 'hosts: files dns\n');
    assert.ok(!readdirSync(dir).includes('hosts'));
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.new')), 'no staged copy is left behind');
  });
});
