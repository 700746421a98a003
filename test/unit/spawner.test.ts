import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Spawner, type SpawnedGroup } from '../../src/environments/spawner.js';

const env = { PATH: '/usr/bin:/bin' };
const spawner = new Spawner();
after(() => spawner.stop());

const untilTrue = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
};
const outputOf = (g: SpawnedGroup) => {
  let out = '';
  g.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return () => out;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the spawn helper', () => {
  it('starts processes in their own group with their output and exit status, once it is ready (directly before)', async () => {
    const first = await spawner.spawnGroup('/bin/sh', ['-c', 'echo direct'], { env, cwd: '/' });
    const firstOut = outputOf(first);
    assert.deepEqual(await first.exit, { code: 0, signal: null });
    await untilTrue('first output', () => firstOut() === 'direct\n');
    assert.equal(spawner.helperSpawns, 0, 'the first spawn does not wait for the helper');
    await untilTrue('the helper is ready', () => spawner.helperPid !== undefined);

    const g = await spawner.spawnGroup('/bin/sh', ['-c', 'echo "$0 $(ps -o pgid= -p $$ | tr -d \' \')"; echo to-stderr >&2; exit 3', 'group'], { env, cwd: '/' });
    const out = outputOf(g);
    assert.deepEqual(await g.exit, { code: 3, signal: null });
    assert.equal(spawner.helperSpawns, 1);
    // Its own process group (pgid = its pid), stderr on the same stream.
    assert.equal(out(), `group ${g.pid}\nto-stderr\n`);
  });

  it('is replaced when it dies; what it had started is killed and reported killed', async () => {
    await untilTrue('the helper is ready', () => spawner.helperPid !== undefined);
    const helper = spawner.helperPid!;
    const long = await spawner.spawnGroup('/bin/sh', ['-c', 'exec sleep 60'], { env, cwd: '/' });
    assert.ok(alive(long.pid));
    process.kill(helper, 'SIGKILL');
    assert.deepEqual(await long.exit, { code: null, signal: 'SIGKILL' });
    await untilTrue('the orphaned process is gone', () => !alive(long.pid));

    // The next spawn works at once (directly), and a new helper takes over.
    const next = await spawner.spawnGroup('/bin/sh', ['-c', 'echo again'], { env, cwd: '/' });
    const nextOut = outputOf(next);
    assert.deepEqual(await next.exit, { code: 0, signal: null });
    await untilTrue('its output', () => nextOut() === 'again\n');
    await untilTrue('a new helper is ready', () => spawner.helperPid !== undefined && spawner.helperPid !== helper);
    const before = spawner.helperSpawns;
    const viaNew = await spawner.spawnGroup('/bin/sh', ['-c', 'echo new-helper'], { env, cwd: '/' });
    const viaNewOut = outputOf(viaNew);
    assert.deepEqual(await viaNew.exit, { code: 0, signal: null });
    assert.equal(viaNewOut(), 'new-helper\n');
    assert.equal(spawner.helperSpawns, before + 1);
  });
});
