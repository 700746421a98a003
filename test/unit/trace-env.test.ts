import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { installTraceIdEnv, type TraceIdEnv } from '../../src/runtimes/nodejs/trace-env.js';

const NAME = '_X_AMZN_TRACE_ID';

describe("the Node.js runtime's _X_AMZN_TRACE_ID", () => {
  let real: NodeJS.ProcessEnv;
  let trace: TraceIdEnv;
  beforeEach(() => {
    real = process.env;
    real[NAME] = 'Root=1-00000000-000000000000000000000000';
    trace = installTraceIdEnv();
  });
  afterEach(() => {
    process.env = real;
  });

  it('shows each invocation its own trace id without ever setting it in the C environment', () => {
    assert.equal(process.env[NAME], 'Root=1-00000000-000000000000000000000000', 'a value there at start is kept');
    for (let i = 0; i < 1000; i++) {
      const id = `Root=1-${i.toString(16).padStart(8, '0')}-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0`;
      trace.set(id);
      assert.equal(process.env[NAME], id);
    }
    // The real environment object goes through setenv: it never held any of them.
    assert.equal(real[NAME], undefined);
    assert.ok(!(NAME in real));
  });

  it('is a variable like the others: in, keys, spread, JSON, delete, assignment, other names passed through', () => {
    trace.set('Root=1-a');
    assert.ok(NAME in process.env);
    assert.ok(Object.keys(process.env).includes(NAME));
    assert.equal({ ...process.env }[NAME], 'Root=1-a');
    assert.equal(JSON.parse(JSON.stringify(process.env))[NAME], 'Root=1-a');
    assert.equal(process.env['PATH'], real['PATH']);
    process.env['SELFLESS_TRACE_ENV_TEST'] = '1';
    assert.equal(real['SELFLESS_TRACE_ENV_TEST'], '1', 'other names reach the real environment');
    delete process.env['SELFLESS_TRACE_ENV_TEST'];
    assert.equal(real['SELFLESS_TRACE_ENV_TEST'], undefined);
    (process.env as Record<string, unknown>)[NAME] = 42;
    assert.equal(process.env[NAME], '42', 'stored as a string, as process.env stores values');
    delete process.env[NAME];
    assert.equal(process.env[NAME], undefined);
    assert.ok(!(NAME in process.env));
    assert.ok(!Object.keys(process.env).includes(NAME));
    trace.set(undefined);
    assert.ok(!(NAME in process.env));
    assert.throws(() => Object.defineProperty(process.env, NAME, { get: () => 'x' }), /only accepts a configurable, writable, and enumerable data descriptor/);
  });

  it('reaches child processes, which take their environment from process.env', () => {
    trace.set('Root=1-5f000000-aaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(execFileSync('/bin/sh', ['-c', `printf %s "$${NAME}"`], { encoding: 'utf8' }), 'Root=1-5f000000-aaaaaaaaaaaaaaaaaaaaaaaa');
    trace.set(undefined);
    assert.equal(execFileSync('/bin/sh', ['-c', `printf %s "\${${NAME}-unset}"`], { encoding: 'utf8' }), 'unset');
  });
});

describe("the Python runtime's _X_AMZN_TRACE_ID", () => {
  // The bootstrap's TraceIdEnv, run alone: 100,000 invocations' trace ids, then what the process holds.
  const script = `
import os, subprocess, sys
src = open(sys.argv[1]).read()
ns = {"os": os}
exec(src[src.index("class TraceIdEnv:"):src.index("_trace_env = TraceIdEnv()")], ns)
env = ns["TraceIdEnv"]()
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096
env.set("Root=1-warm")
before = rss()
for i in range(100000):
    env.set("Root=1-%08x-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1" % i)
grown = rss() - before
child = subprocess.run(["/bin/sh", "-c", 'printf %s "$_X_AMZN_TRACE_ID"'], capture_output=True, text=True).stdout
env.set(None)
unset = subprocess.run(["/bin/sh", "-c", 'printf %s "\${_X_AMZN_TRACE_ID-unset}"'], capture_output=True, text=True).stdout
print(grown, child, os.getenv("_X_AMZN_TRACE_ID"), unset)
`;
  const python = ['python3.13', 'python3.12', 'python3.11', 'python3'].find((p) => {
    try {
      execFileSync(p, ['-c', 'pass'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

  it('keeps no copy of each trace id (os.environ would keep ~140 bytes each), and children and getenv see the current one', { skip: python === undefined && 'no python3 here' }, () => {
    const out = execFileSync(python!, ['-c', script, new URL('../../../src/runtimes/python/bootstrap.py', import.meta.url).pathname], { encoding: 'utf8' }).trim().split(' ');
    const [grown, child, afterUnset, unset] = out;
    // setenv's copies would be ~14 MB here; a few pages of allocator noise are not.
    assert.ok(Number(grown) < 2 * 1024 * 1024, `the process grew ${grown} bytes over 100,000 trace ids`);
    assert.equal(child, 'Root=1-0001869f-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1');
    assert.equal(afterUnset, 'None');
    assert.equal(unset, 'unset');
  });
});

describe("the Ruby runtime's _X_AMZN_TRACE_ID", () => {
  const script = `
src = File.read(ARGV[0])
eval("module T\\n#{src[src.index('  class TraceIdEnv')...src.index("  # What Lambda's Ruby runtime passes")]}\\nend")
env = T::TraceIdEnv.new
def rss; File.read('/proc/self/statm').split[1].to_i * 4096; end
env.set('Root=1-warm')
before = rss
100_000.times { |i| env.set(format('Root=1-%08x-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1', i)) }
puts [rss - before, ENV['_X_AMZN_TRACE_ID'], \`printf %s "$_X_AMZN_TRACE_ID"\`].join(' ')
`;
  const ruby = (() => {
    try {
      execFileSync('ruby', ['-e', '0'], { stdio: 'ignore' });
      return 'ruby';
    } catch {
      return undefined;
    }
  })();

  it('keeps no copy of each trace id (ENV[]= would keep ~140 bytes each), and ENV and children see the current one', { skip: ruby === undefined && 'no ruby here' }, () => {
    const [grown, env, child] = execFileSync(ruby!, ['-e', script, new URL('../../../src/runtimes/ruby/bootstrap.rb', import.meta.url).pathname], { encoding: 'utf8' }).trim().split(' ');
    // setenv's copies would be ~14 MB here; the interpreter's own garbage is a fraction of that.
    assert.ok(Number(grown) < 4 * 1024 * 1024, `the process grew ${grown} bytes over 100,000 trace ids`);
    assert.equal(env, 'Root=1-0001869f-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1');
    assert.equal(child, env);
  });
});
