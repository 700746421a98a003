import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CpuScaler, decide, type ScalerTarget } from '../../src/environments/cpu-scaler.js';
import { ManualClock } from '../../src/lib/clock.js';

interface Env {
  name: string;
  inFlight: number;
  vcpus: number;
  cpuMs: number;
}
const env = (name: string, inFlight = 0, vcpus = 1): Env => ({ name, inFlight, vcpus, cpuMs: 0 });
const limits = { starting: 0, perEnvironment: 8, maxEnvironments: 3 };

describe('deciding on CPU use', () => {
  it('scales up above 70% of the vCPUs on average, unless a start is under way or the limit is reached', () => {
    const [a, b] = [env('a'), env('b')];
    assert.deepEqual(decide([{ env: a, cores: 0.9 }, { env: b, cores: 0.6 }], limits), { kind: 'up' });
    assert.deepEqual(decide([{ env: a, cores: 0.9 }, { env: b, cores: 0.4 }], limits), { kind: 'hold' });
    assert.deepEqual(decide([{ env: a, cores: 0.9 }], { ...limits, starting: 1 }), { kind: 'hold' });
    assert.deepEqual(decide([{ env: a, cores: 0.9 }], { ...limits, maxEnvironments: 1 }), { kind: 'hold' });
    assert.deepEqual(decide([{ env: env('big', 0, 2), cores: 1.2 }], limits), { kind: 'hold' }, 'measured against its vCPUs');
  });

  it('retires the least busy below 20%, only if the load fits half full in one fewer', () => {
    const [a, b] = [env('a', 3), env('b', 1)];
    assert.deepEqual(decide([{ env: a, cores: 0.1 }, { env: b, cores: 0.05 }], limits), { kind: 'down', env: b });
    assert.deepEqual(decide([{ env: env('c', 4), cores: 0.1 }, { env: env('d', 4), cores: 0.1 }], limits), { kind: 'hold' }, '8 in flight do not fit in 4');
    assert.deepEqual(decide([{ env: env('e'), cores: 0 }], limits), { kind: 'hold' }, 'never below one');
  });

  it('never retires an environment kept for MinExecutionEnvironments', () => {
    const kept = (name: string, inFlight = 0) => ({ ...env(name, inFlight), provisioned: true });
    const [k1, k2, extra] = [kept('k1'), kept('k2'), env('extra', 2)];
    assert.deepEqual(decide([{ env: k1, cores: 0 }, { env: k2, cores: 0 }], limits), { kind: 'hold' }, 'both kept');
    assert.deepEqual(decide([{ env: k1, cores: 0 }, { env: extra, cores: 0.1 }, { env: k2, cores: 0 }], limits), { kind: 'down', env: extra }, 'the on-demand one goes, though busier');
  });
});

describe('the CPU scaler', () => {
  const target = (envs: Env[], log: string[]): ScalerTarget<Env> => ({
    ready: () => envs,
    starting: 0,
    perEnvironment: 8,
    maxEnvironments: 3,
    startAhead: () => log.push('up'),
    retire: (e) => log.push(`retire ${e.name}`),
  });

  it('starts one more environment after three busy intervals in a row, not after a burst', () => {
    const clock = new ManualClock();
    const a = env('a', 1);
    const log: string[] = [];
    const scaler = new CpuScaler(target([a], log), (e) => e.cpuMs, clock, 1000);
    scaler.ensureRunning();
    const interval = (busyMs: number) => {
      a.cpuMs += busyMs;
      clock.advance(1000);
    };
    interval(0); // the first sample is the baseline
    interval(900);
    interval(100); // a burst, then quiet: the count starts again
    interval(900);
    interval(900);
    assert.deepEqual(log, []);
    interval(900);
    assert.deepEqual(log, ['up']);
    scaler.stop();
    interval(900);
    interval(900);
    interval(900);
    assert.deepEqual(log, ['up'], 'stopped: no more samples');
  });

  it('retires an environment when CPU and load are low', () => {
    const clock = new ManualClock();
    const [a, b] = [env('a', 1), env('b', 0)];
    const log: string[] = [];
    const scaler = new CpuScaler(target([a, b], log), (e) => e.cpuMs, clock, 1000);
    scaler.ensureRunning();
    clock.advance(1000);
    a.cpuMs += 50;
    clock.advance(1000);
    assert.deepEqual(log, ['retire b']);
    scaler.stop();
  });
});
