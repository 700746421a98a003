import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PlainProcessLauncher, type LaunchedProcess } from '../../src/environments/launcher.js';
import { MemoryCgroups } from '../../src/environments/sandbox/cgroups.js';
import { Spawner } from '../../src/environments/spawner.js';
import { newHexId } from '../../src/lib/ids.js';

const MiB = 1024 * 1024;
const cgroups = new MemoryCgroups(`selfless-test-${process.pid}`);
const spawner = new Spawner();
const launcher = new PlainProcessLauncher(cgroups, spawner);
after(() => {
  cgroups.dispose();
  spawner.stop();
});

/** A real process under its own memory cgroup, running `code`. */
function run(code: string, memoryMb: number): Promise<LaunchedProcess> {
  return launcher.launch({ envId: newHexId(), file: process.execPath, args: ['-e', code], env: { PATH: '/usr/bin:/bin' }, codeDir: tmpdir(), mounts: [], memoryMb, tmpMb: 16 });
}

/** The cgroup a process of the group is in, as the kernel says (memory controller's line). */
function groupOf(pid: number): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l))!;
  return line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
}

const PRINT_GROUP = "console.log(require('fs').readFileSync('/proc/self/cgroup','utf8').split('\\n').find(l=>/memory/.test(l)))";

const untilTrue = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
};

describe('memory cgroups of exited environments', { skip: cgroups.available() ? false : `no cgroup: ${cgroups.unavailableReason}` }, () => {
  it('are reused by the next environment with its own limit, and the last one\'s peak and failures reset', async () => {
    // Reports its group, then fills 48 MiB and exits: the group's peak is at least that.
    const first = await run(`${PRINT_GROUP};Buffer.alloc(48*1024*1024).fill(1)`, 256);
    let firstGroupLine = '';
    first.stdout.on('data', (d: Buffer) => (firstGroupLine += d.toString()));
    assert.equal(await first.exited, 'exit status 0');
    assert.ok(first.peakMemoryBytes()! >= 48 * MiB, `peak ${first.peakMemoryBytes()}`);
    await untilTrue('the emptied group is kept', () => cgroups.emptiedCount === 1);

    // The next environment waits on stdin so the test can look at its group while it runs.
    const second = await launcher.launch({ envId: newHexId(), file: '/bin/sh', args: ['-c', 'exec sleep 30'], env: { PATH: '/usr/bin:/bin' }, codeDir: tmpdir(), mounts: [], memoryMb: 64, tmpMb: 16 });
    try {
      assert.equal(cgroups.emptiedCount, 0, 'the kept group was taken');
      const group = firstGroupLine.trim().replace(/^\d+:[^:]*:/, '');
      assert.ok(group.includes(`selfless-test-${process.pid}/`), `the first one's group (${group})`);
      await untilTrue('the next process is in the same group', () => groupOf(second.pid) === group);
      const dir = join('/sys/fs/cgroup/memory', group);
      assert.equal(Number(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8')), 64 * MiB, 'the new limit is set');
      assert.equal(Number(readFileSync(join(dir, 'memory.failcnt'), 'utf8')), 0);
      assert.ok(second.peakMemoryBytes()! < 48 * MiB, `the previous peak is gone (peak ${second.peakMemoryBytes()})`);
      assert.equal(second.oomKilled(), false);
    } finally {
      second.kill();
      await second.exited;
    }
  });

  it('are not reused once the OOM killer acted in them', async () => {
    await untilTrue('the previous test\'s group is kept', () => cgroups.emptiedCount >= 1);
    const kept = cgroups.emptiedCount;
    // Takes a kept group, says which, then goes over its 32 MiB limit.
    const oom = await run(`${PRINT_GROUP};const a = []; for (;;) a.push(Buffer.alloc(4 * 1024 * 1024).fill(1));`, 32);
    let printed = '';
    oom.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    assert.equal(cgroups.emptiedCount, kept - 1, 'it took a kept group');
    assert.equal(await oom.exited, 'signal: killed');
    assert.equal(oom.oomKilled(), true);
    const dir = join('/sys/fs/cgroup/memory', printed.trim().replace(/^\d+:[^:]*:/, ''));
    assert.ok(dir.includes(`selfless-test-${process.pid}/`), `its group (${dir})`);
    await untilTrue('the OOM-killed group is removed, not kept', () => !existsSync(dir));
    assert.equal(cgroups.emptiedCount, kept - 1);
  });

  it('are offered again only once the page cache charged to them is dropped', async () => {
    const kept = cgroups.emptiedCount;
    // Writes 32 MiB to a file: page cache charged to its group, which outlives the process.
    const file = join(tmpdir(), `selfless-cgroup-cache-${newHexId()}`);
    const writer = await run(`${PRINT_GROUP};require('fs').writeFileSync(${JSON.stringify(file)}, Buffer.alloc(32*1024*1024, 1))`, 256);
    let printed = '';
    writer.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    try {
      assert.equal(await writer.exited, 'exit status 0');
      const dir = join('/sys/fs/cgroup/memory', printed.trim().replace(/^\d+:[^:]*:/, ''));
      await untilTrue('the emptied group is kept', () => cgroups.emptiedCount === kept + 1);
      const usage = Number(readFileSync(join(dir, 'memory.usage_in_bytes'), 'utf8'));
      assert.ok(usage < 8 * MiB, `charged to the kept group: ${usage} bytes`);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

