/**
 * Environments in a bubblewrap sandbox: their own mount, PID, IPC, UTS and user namespaces (the
 * network is shared: functions call out, and reach this server), the function's code read-only at
 * /var/task, a private size-limited /tmp, only /usr and a few files of /etc from the host, and
 * nothing of other functions. The process runs as an unprivileged user, as on Lambda.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchedProcess, LaunchSpec, ProcessLauncher } from '../launcher.js';
import { memoryDescription, startProcessGroup } from '../launcher.js';
import type { MemoryCgroups } from './cgroups.js';
import type { Spawner } from '../spawner.js';

export const TASK_ROOT = '/var/task';
/** Lambda's sandbox user (sbx_user1051). */
const SANDBOX_UID = 993;
const SANDBOX_GID = 990;

/** What a program needs of /etc: name resolution, TLS roots, users, time zone, the loader cache. */
const ETC_FILES = [
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/host.conf',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/mime.types',
];

/** The sandbox's own users: the host's /etc/passwd stays outside. */
const PASSWD = `root:x:0:0:root:/root:/usr/sbin/nologin\nsbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/home/sbx_user1051:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`;
const GROUP = `root:x:0:\nsbx_user1051:x:${SANDBOX_GID}:\nnogroup:x:65534:\n`;

export function bwrapVersion(): string | undefined {
  const r = spawnSync('bwrap', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export class BwrapLauncher implements ProcessLauncher {
  readonly description: string;
  private readonly etc = ETC_FILES.filter((f) => existsSync(f));

  private readonly passwd: string;
  private readonly group: string;

  constructor(
    private readonly cgroups: MemoryCgroups,
    version: string,
    /** A folder of this server's where the sandbox's own /etc files are written. */
    stateDir: string,
    private readonly spawner: Spawner,
  ) {
    mkdirSync(stateDir, { recursive: true });
    this.passwd = join(stateDir, 'passwd');
    this.group = join(stateDir, 'group');
    writeFileSync(this.passwd, PASSWD);
    writeFileSync(this.group, GROUP);
    this.description = `${version} sandboxes (own /var/task, /tmp, PID and mount namespaces)${memoryDescription(cgroups)}`;
  }

  readonly sandboxed = true;

  launch(spec: LaunchSpec): Promise<LaunchedProcess> {
    const args = [
      '--unshare-all',
      '--share-net',
      '--die-with-parent',
      '--uid', String(SANDBOX_UID),
      '--gid', String(SANDBOX_GID),
      '--hostname', 'localhost',
      '--ro-bind', '/usr', '/usr',
      '--symlink', 'usr/bin', '/bin',
      '--symlink', 'usr/sbin', '/sbin',
      '--symlink', 'usr/lib', '/lib',
      '--symlink', 'usr/lib64', '/lib64',
      ...this.etc.flatMap((f) => ['--ro-bind', f, f]),
      '--ro-bind', this.passwd, '/etc/passwd',
      '--ro-bind', this.group, '/etc/group',
      '--proc', '/proc',
      '--dev', '/dev',
      '--size', String(spec.tmpMb * 1024 * 1024),
      '--perms', '1777',
      '--tmpfs', '/tmp',
      '--dir', '/var',
      '--ro-bind', spec.codeDir, TASK_ROOT,
      ...spec.mounts.flatMap((m) => [m.writable ? '--bind' : '--ro-bind', m.host, m.target]),
      '--chdir', TASK_ROOT,
      '--',
      spec.file,
      ...spec.args,
    ];
    return startProcessGroup('bwrap', args, spec, '/', this.cgroups, this.spawner, true);
  }
}
