/**
 * The sandbox's /etc, kept in one folder of this server's and bound as a whole: what a program needs
 * of the host's /etc (name resolution, the loader cache, the time zone), the sandbox's own users,
 * and empty mount points for the host folders bound on top (TLS roots, alternatives). One bind
 * instead of one per file: bubblewrap's mounts are most of its setup, and a burst starts many.
 *
 * The host's files are copied, so each launch first checks them (a stat each) and copies again any
 * that changed: a resolv.conf rewritten by DHCP reaches the next environment, and those running
 * (the folder is bound live, files are replaced by rename).
 */
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Files copied from the host's /etc. */
const FILES = ['resolv.conf', 'hosts', 'nsswitch.conf', 'host.conf', 'ld.so.cache', 'ld.so.conf', 'localtime', 'mime.types'];
/** Host folders bound at the same place inside (their mount points are made here). */
const FOLDERS = ['ssl', 'ca-certificates', 'alternatives', 'ld.so.conf.d'];

/** Lambda's sandbox user (sbx_user1051). */
export const SANDBOX_UID = 993;
export const SANDBOX_GID = 990;

/** The sandbox's own users: the host's /etc/passwd stays outside. */
const PASSWD = `root:x:0:0:root:/root:/usr/sbin/nologin\nsbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/home/sbx_user1051:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`;
const GROUP = `root:x:0:\nsbx_user1051:x:${SANDBOX_GID}:\nnogroup:x:65534:\n`;

export class SandboxEtc {
  /** What each copied file was copied from: its kind, target or inode, size and time. */
  private readonly copied = new Map<string, string>();
  /** Host folders present, bound over their mount points here. */
  readonly folders: readonly string[];
  /** Mount points made for environments' own mounts under /etc. */
  private readonly mountPoints = new Set<string>();

  constructor(
    /** The folder bound as the sandbox's /etc. */
    readonly dir: string,
    /** The host's /etc (a test's stand-in). */
    private readonly hostEtc = '/etc',
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'passwd'), PASSWD);
    writeFileSync(join(dir, 'group'), GROUP);
    this.folders = FOLDERS.filter((f) => isDir(join(hostEtc, f)));
    for (const f of this.folders) mkdirSync(join(dir, f));
    this.refresh();
  }

  /**
   * bubblewrap arguments that mount it (after /usr is mounted: symlinks point into it). Mounts of
   * the environment's own under /etc (the server's TLS roots) need their mount points made here:
   * inside, /etc is read-only.
   */
  mountArgs(mounts: readonly { host: string; target: string }[] = []): string[] {
    this.refresh();
    for (const m of mounts) if (m.target.startsWith('/etc/')) this.mountPoint(m.target.slice('/etc/'.length), m.host);
    return ['--ro-bind', this.dir, '/etc', ...this.folders.flatMap((f) => ['--ro-bind', join(this.hostEtc, f), `/etc/${f}`])];
  }

  /** An empty folder, or file, at `path` inside, where a host folder or file is bound. */
  private mountPoint(path: string, host: string): void {
    if (this.mountPoints.has(path)) return;
    const inside = join(this.dir, path);
    if (!inside.startsWith(`${this.dir}/`)) throw new Error(`mount target /etc/${path} is outside /etc`);
    if (isDir(host)) {
      mkdirSync(inside, { recursive: true });
    } else {
      mkdirSync(dirname(inside), { recursive: true });
      writeFileSync(inside, '', { flag: 'a' });
    }
    this.mountPoints.add(path);
  }

  /** Copies again each host file that changed since its last copy; removes those the host no longer has. */
  private refresh(): void {
    for (const name of FILES) {
      const source = join(this.hostEtc, name);
      const target = join(this.dir, name);
      const seen = signature(source);
      if (this.copied.get(name) === seen) continue;
      const staged = `${target}.new`;
      rmSync(staged, { force: true });
      if (seen === 'absent') {
        rmSync(target, { force: true });
      } else if (seen.startsWith('link ')) {
        // A link into /usr (localtime → /usr/share/zoneinfo/...) stays a link: its target is inside too.
        symlinkSync(readlinkSync(source), staged);
        renameSync(staged, target);
      } else {
        copyFileSync(source, staged);
        renameSync(staged, target);
      }
      this.copied.set(name, seen);
    }
  }
}

/** A link into /usr (bound inside too) as `link <target>`, else the file it is or leads to, else 'absent'. */
function signature(path: string): string {
  try {
    if (lstatSync(path).isSymbolicLink() && realpathSync(path).startsWith('/usr/')) return `link ${readlinkSync(path)}`;
    const s = statSync(path);
    return s.isFile() ? `file ${s.dev} ${s.ino} ${s.size} ${s.mtimeMs} ${s.ctimeMs}` : 'absent';
  } catch {
    return 'absent';
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
