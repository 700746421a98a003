/** Picks how environments are isolated: bubblewrap where it is installed, plain processes otherwise (loudly). */
import type { Logger } from '../../lib/logger.js';
import { PlainProcessLauncher, type ProcessLauncher } from '../launcher.js';
import { BwrapLauncher, bwrapVersion } from './bwrap-launcher.js';
import { MemoryCgroups } from './cgroups.js';
import { Spawner } from '../spawner.js';

export type SandboxMode = 'auto' | 'bwrap' | 'none';

export function selectLauncher(mode: SandboxMode, stateDir: string, logger: Logger, useCgroups = true): { launcher: ProcessLauncher; cgroups: MemoryCgroups; spawner: Spawner } {
  const cgroups = new MemoryCgroups(undefined, useCgroups);
  const spawner = new Spawner();
  if (!cgroups.available()) {
    logger.warn(`no cgroup memory controller (${cgroups.unavailableReason}): memory limits are enforced by sampling each environment's memory, which a fast allocation can briefly overshoot`);
  }
  if (mode !== 'none') {
    const version = bwrapVersion();
    if (version) return { launcher: new BwrapLauncher(cgroups, version, stateDir, spawner), cgroups, spawner };
    if (mode === 'bwrap') throw new Error('--sandbox bwrap: bubblewrap (bwrap) is not installed');
    logger.warn(
      'bubblewrap (bwrap) is not installed: functions run as plain processes and CAN read each other\'s code, /tmp and files. Install it (apt-get install bubblewrap) for isolation.',
    );
  }
  return { launcher: new PlainProcessLauncher(cgroups, spawner), cgroups, spawner };
}
