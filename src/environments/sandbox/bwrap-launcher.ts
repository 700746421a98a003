/**
 * Environments in a bubblewrap sandbox: their own mount, PID, IPC, UTS and user namespaces (the
 * network is shared: functions call out, and reach this server), the function's code read-only at
 * /var/task, a private size-limited /tmp, only /usr and a few files of /etc from the host, and
 * nothing of other functions. The process runs as an unprivileged user, as on Lambda.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LaunchedProcess, LaunchSpec, ProcessLauncher } from '../launcher.js';
import { memoryDescription, startProcessGroup } from '../launcher.js';
import type { MemoryCgroups } from './cgroups.js';
import type { Spawner } from '../spawner.js';
import { SANDBOX_GID, SANDBOX_UID, SandboxEtc } from './sandbox-etc.js';

export const TASK_ROOT = '/var/task';

export function bwrapVersion(): string | undefined {
  const r = spawnSync('bwrap', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export class BwrapLauncher implements ProcessLauncher {
  readonly description: string;
  private readonly etc: SandboxEtc;

  constructor(
    private readonly cgroups: MemoryCgroups,
    version: string,
    /** A folder of this server's where the sandbox's own /etc is kept. */
    stateDir: string,
    private readonly spawner: Spawner,
  ) {
    this.etc = new SandboxEtc(join(stateDir, 'etc'));
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
      ...this.etc.mountArgs(spec.mounts),
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
