/**
 * ruby3.3, ruby3.4 and python3.14: refused at CreateFunction where no matching interpreter is
 * installed, saying how to install one; and the Ruby bootstrap, on the interpreter an operator names
 * for a runtime (Debian 12 carries Ruby 3.1 only: the test names it for ruby3.3).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, type Runtime } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { findRuntime } from '../../src/runtimes/catalog.js';
import { createFunction, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure } from '../helpers/sqs.js';

const create = async (t: TestPlatform, name: string, runtime: string, handler: string, files: Record<string, string>) =>
  t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Handler: handler, Role: ROLE, Code: { ZipFile: await zipEntries(files) } }));

describe('runtimes whose interpreter is missing', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  const cases: { runtime: string; handler: string; files: Record<string, string>; install: RegExp }[] = [
    { runtime: 'ruby3.3', handler: 'app.handler', files: { 'app.rb': 'def handler(event:, context:) = event' }, install: /Install Ruby 3\.3 \(for example `rbenv install 3\.3`/ },
    { runtime: 'ruby3.4', handler: 'app.handler', files: { 'app.rb': 'def handler(event:, context:) = event' }, install: /Install Ruby 3\.4 \(for example `rbenv install 3\.4`/ },
    { runtime: 'python3.14', handler: 'app.handler', files: { 'app.py': 'def handler(e, c):\n  return e\n' }, install: /Install Python 3\.14 \(for example `pyenv install 3\.14`/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.runtime} at CreateFunction when no ${c.runtime} interpreter is installed, saying how to install one`, async (ctx) => {
      // Where the interpreter is installed, the runtime is offered instead: that is checked too.
      if (findRuntime(c.runtime)!.unavailable() === undefined) {
        ctx.diagnostic(`${c.runtime} is installed here: checking it is accepted`);
        await create(t, `fn-${c.runtime.replace('.', '-')}`, c.runtime, c.handler, c.files);
        return;
      }
      const refused = await failure(create(t, `fn-${c.runtime.replace('.', '-')}`, c.runtime, c.handler, c.files));
      assert.equal(refused.name, 'InvalidParameterValueException');
      assert.match(refused.message, new RegExp(`^The runtime parameter of ${c.runtime.replace('.', '\\.')} cannot be used here: `));
      assert.match(refused.message, c.install);
    });
  }
});

/** A Ruby on this machine, if any (CI installs Debian's). */
function systemRuby(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v ruby'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const APP = `
def handler(event:, context:)
  puts "hello from #{context.function_name}"
  { 'echo' => event, 'function' => context.function_name, 'requestId' => context.aws_request_id,
    'remaining' => context.get_remaining_time_in_millis > 0, 'ruby' => RUBY_VERSION,
    'trace' => ENV['_X_AMZN_TRACE_ID'], 'childTrace' => \`printf %s "$_X_AMZN_TRACE_ID"\` }
end

module Shop
  class Orders
    def self.count(event:, context:)
      event['items'].size
    end
  end
end

def broken(event:, context:)
  raise ArgumentError, 'no such order'
end
`;

describe('the Ruby bootstrap', { skip: systemRuby() === undefined ? 'no ruby installed (apt-get install ruby)' : false }, () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ runtimeInterpreters: { 'ruby3.3': systemRuby()! } });
  });
  after(() => t.stop());

  const invoke = async (name: string, payload: unknown) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));
    return { error: res.FunctionError, body: decode(res.Payload) as Record<string, unknown>, log: Buffer.from(res.LogResult ?? '', 'base64').toString() };
  };

  it('runs file.method and file.Module::Class.method handlers through the Runtime API, with a context', async () => {
    const files = { 'app.rb': APP };
    const code = await zipEntries(files);
    await createFunction(t.lambda, 'ruby-echo', 'echo', { Runtime: 'ruby3.3', Handler: 'app.handler', Code: { ZipFile: code } });
    const first = await invoke('ruby-echo', { order: 7 });
    assert.equal(first.error, undefined, JSON.stringify(first.body));
    assert.equal(first.body['function'], 'ruby-echo');
    assert.deepEqual(first.body['echo'], { order: 7 });
    assert.equal(first.body['remaining'], true);
    assert.equal(first.body['ruby'], execFileSync(systemRuby()!, ['-e', 'print RUBY_VERSION'], { encoding: 'utf8' }));
    assert.match(first.log, /hello from ruby-echo/);
    // The same environment answers the next event with its own request id.
    const second = await invoke('ruby-echo', 'again');
    assert.equal(second.body['echo'], 'again');
    assert.notEqual(second.body['requestId'], first.body['requestId']);
    // Each invocation's trace id, in ENV and in what a child process inherits.
    for (const r of [first, second]) {
      assert.match(String(r.body['trace']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
      assert.equal(r.body['childTrace'], r.body['trace']);
    }
    assert.notEqual(second.body['trace'], first.body['trace']);

    await createFunction(t.lambda, 'ruby-orders', 'echo', { Runtime: 'ruby3.3', Handler: 'app.Shop::Orders.count', Code: { ZipFile: code } });
    const count = await t.lambda.send(new InvokeCommand({ FunctionName: 'ruby-orders', Payload: Buffer.from('{"items":[1,2,3]}') }));
    assert.equal(count.FunctionError, undefined);
    assert.equal(decode(count.Payload), 3);
  });

  it('reports a raised error and an init error as Lambda does', async () => {
    const code = await zipEntries({ 'app.rb': APP });
    await createFunction(t.lambda, 'ruby-fail', 'echo', { Runtime: 'ruby3.3', Handler: 'app.broken', Code: { ZipFile: code } });
    const raised = await invoke('ruby-fail', {});
    assert.equal(raised.error, 'Unhandled');
    assert.equal(raised.body['errorType'], 'Function<ArgumentError>');
    assert.equal(raised.body['errorMessage'], 'no such order');
    assert.ok(Array.isArray(raised.body['stackTrace']) && (raised.body['stackTrace'] as string[]).some((line) => line.includes('app.rb')));
    await createFunction(t.lambda, 'ruby-missing', 'echo', { Runtime: 'ruby3.3', Handler: 'nothere.handler', Code: { ZipFile: code } });
    const init = await invoke('ruby-missing', {});
    assert.equal(init.error, 'Unhandled');
    assert.equal(init.body['errorType'], 'Runtime.ImportModuleError');
    assert.match(String(init.body['errorMessage']), /^Error loading the handler file nothere: /);
    await createFunction(t.lambda, 'ruby-no-method', 'echo', { Runtime: 'ruby3.3', Handler: 'app.absent', Code: { ZipFile: code } });
    const absent = await invoke('ruby-no-method', {});
    assert.equal(absent.body['errorType'], 'Runtime.HandlerNotFound');
  });
});
