import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { findRuntime } from '../../src/runtimes/catalog.js';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const tail = (res: InvokeCommandOutput): string[] =>
  Buffer.from(res.LogResult ?? '', 'base64')
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);

interface Echo {
  event: unknown;
  python: string;
  boto3: string;
  sysPath0: string;
  cwd: string;
  context: Record<string, unknown>;
  env: Record<string, string>;
}

interface LambdaError {
  errorType: string;
  errorMessage: string;
  requestId: string;
  stackTrace: string[];
}

describe('Python runtimes', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'py-errors', 'python-errors', { Runtime: 'python3.11', Handler: 'app.handler' });
  });
  after(() => t.stop());

  const findLogLine = async (logGroupName: string, prefix: string): Promise<string> => {
    for (let i = 0; i < 100; i++) {
      const page = await t.logs.send(new FilterLogEventsCommand({ logGroupName }));
      const found = (page.events ?? []).find((e) => e.message?.startsWith(prefix));
      if (found?.message !== undefined) return found.message;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line starting with ${JSON.stringify(prefix)} in ${logGroupName}`);
  };

  for (const runtime of ['python3.11', 'python3.12', 'python3.13'] as const) {
    it(`${runtime} runs the echo handler, or says clearly that its interpreter is missing`, async () => {
      const name = `py-echo-${runtime.replace('.', '')}`;
      await createFunction(t.lambda, name, 'python-echo', { Runtime: runtime, Handler: 'app.handler', MemorySize: 256 });
      const invoke = () => t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ marker: runtime }) }));
      const missing = findRuntime(runtime)?.unavailable();
      if (missing !== undefined) {
        await assert.rejects(invoke(), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(err.name, 'InvalidRuntimeException');
          assert.equal(err.$metadata?.httpStatusCode, 502);
          assert.match(err.message, new RegExp(`^${runtime.replace('.', '\\.')} is not installed on this machine`));
          return true;
        });
        return;
      }
      const res = await invoke();
      assert.equal(res.FunctionError, undefined);
      const body = decode(res.Payload) as Echo;
      assert.deepEqual(body.event, { marker: runtime });
      assert.equal(body.python, runtime.slice('python'.length));
      assert.match(body.boto3, /^\d+\.\d+\.\d+$/, 'boto3 imports without being bundled');
      assert.equal(body.sysPath0, body.cwd, 'LAMBDA_TASK_ROOT is first on sys.path, and the cwd');
      assert.equal(body.env['LAMBDA_TASK_ROOT'], body.cwd);
      assert.equal(body.env['PYTHONDONTWRITEBYTECODE'], '1');
      assert.ok(body.env['PYTHONPATH']?.startsWith(`${body.cwd}:`));
    });
  }

  it('gives the handler Lambda\'s context object', async () => {
    await createFunction(t.lambda, 'py-context', 'python-echo', { Runtime: 'python3.11', Handler: 'app.handler', MemorySize: 256 });
    const clientContext = { custom: { tenant: 'a' }, env: { platform: 'test' }, client: { app_title: 'demo' } };
    const res = await t.lambda.send(
      new InvokeCommand({
        FunctionName: 'py-context',
        LogType: 'Tail',
        ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
        Payload: json({}),
      }),
    );
    const requestId = new RegExp(`^START RequestId: (${UUID}) `).exec(tail(res)[0] ?? '')?.[1];
    const { context: c, env } = decode(res.Payload) as Echo;
    assert.equal(c['aws_request_id'], requestId);
    assert.equal(c['function_name'], 'py-context');
    assert.equal(c['function_version'], '$LATEST');
    assert.match(String(c['invoked_function_arn']), /^arn:aws:lambda:us-east-1:\d{12}:function:py-context$/);
    assert.equal(c['memory_limit_in_mb'], '256', 'a string, as on Lambda');
    assert.equal(c['log_group_name'], '/aws/lambda/py-context');
    assert.match(String(c['log_stream_name']), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]+$/);
    assert.ok(Number(c['remaining']) > 1000 && Number(c['remaining']) <= 3000, `remaining ${String(c['remaining'])} ms of 3 s`);
    assert.equal(c['cognito_identity_id'], null);
    assert.deepEqual(c['client_context'], {
      custom: { tenant: 'a' },
      env: { platform: 'test' },
      client_app_title: 'demo',
      client_installation_id: null,
    });
    assert.match(env['_X_AMZN_TRACE_ID'] ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
    // Each invocation's own trace id, in os.environ and in the C environment a child process inherits.
    const traces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const again = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'py-context', Payload: json({ childTrace: true }) }))).Payload) as Echo & { childTrace: string; getenvTrace: string };
      assert.match(again.env['_X_AMZN_TRACE_ID'] ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
      assert.equal(again.childTrace, again.env['_X_AMZN_TRACE_ID']);
      assert.equal(again.getenvTrace, again.env['_X_AMZN_TRACE_ID']);
      traces.push(again.childTrace);
    }
    assert.notEqual(traces[0], traces[1]);
  });

  it('logs print() and the logging module between START and REPORT, one line per record', async () => {
    const res = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'py-echo-python311', LogType: 'Tail', Payload: json({ marker: 'm1' }) }),
    );
    const lines = tail(res);
    const requestId = new RegExp(`^START RequestId: (${UUID}) Version: \\$LATEST$`).exec(lines[0] ?? '')?.[1];
    assert.ok(requestId, lines.join('\n'));
    assert.equal(lines[1], 'print line m1');
    assert.match(
      lines[2]!,
      new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t${requestId}\\tlogging line m1\\rsecond line of the same record$`),
    );
    assert.equal(lines[3], `END RequestId: ${requestId}`);
    assert.match(lines[4]!, new RegExp(`^REPORT RequestId: ${requestId}\\t`));
  });

  it('returns an exception as Unhandled with Lambda\'s Python error shape, and logs it', async () => {
    const res = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'py-errors', LogType: 'Tail', Payload: json({ action: 'raise', amount: 42 }) }),
    );
    assert.equal(res.StatusCode, 200);
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as LambdaError;
    assert.deepEqual(Object.keys(body), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(body.errorType, 'PaymentDeclinedError');
    assert.equal(body.errorMessage, 'card declined for 42');
    const lines = tail(res);
    assert.ok(lines[0]?.startsWith(`START RequestId: ${body.requestId} `));
    // The user's frames only, as traceback formats them.
    assert.equal(body.stackTrace.length, 2);
    assert.match(body.stackTrace[0]!, /^ {2}File "[^"]+\/app\.py", line \d+, in handler\n {4}charge\(event\.get\("amount", 10\)\)\n$/);
    assert.match(body.stackTrace[1]!, /^ {2}File "[^"]+\/app\.py", line \d+, in charge\n {4}raise PaymentDeclinedError\(f"card declined for \{amount\}"\)\n$/);
    // The runtime logs the error as it posts it. Read from the log group, not the Tail: the platform
    // closes the invocation's log as soon as the post arrives, and the line may come just after.
    const logged = await findLogLine('/aws/lambda/py-errors', '[ERROR] PaymentDeclinedError: card declined for 42\r');
    assert.ok(logged.startsWith('[ERROR] PaymentDeclinedError: card declined for 42\rTraceback (most recent call last):\r\u00a0\u00a0File "'), logged);
    assert.ok(!logged.trimEnd().includes('\n'), 'one line');

    const unserializable = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'py-errors', Payload: json({ action: 'unserializable' }) }))).Payload) as LambdaError;
    assert.equal(unserializable.errorType, 'Runtime.MarshalError');
    assert.equal(unserializable.errorMessage, 'Unable to marshal response: Object of type set is not JSON serializable');
    assert.deepEqual(unserializable.stackTrace, []);

    const decimals = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-errors', Payload: json({ action: 'decimal' }) }));
    assert.equal(Buffer.from(decimals.Payload ?? []).toString('utf8'), '{"price": 19.99, "count": 3}');
  });

  it('sys.exit() in the handler ends the environment with Runtime.ExitError', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-errors', Payload: json({ action: 'exit' }) }));
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as LambdaError;
    assert.equal(body.errorType, 'Runtime.ExitError');
    assert.match(body.errorMessage, /exit status 3/);
    const again = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-errors', Payload: json({}) }));
    assert.deepEqual(decode(again.Payload), { ok: true });
  });

  it('loads handlers from packages, slashed or dotted', async () => {
    for (const handler of ['pkg/sub/mod.handler', 'pkg.sub.mod.handler']) {
      const name = `py-pkg-${handler.includes('/') ? 'slash' : 'dot'}`;
      await createFunction(t.lambda, name, 'python-errors', { Runtime: 'python3.11', Handler: handler });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({ n: 1 }) }));
      assert.equal(res.FunctionError, undefined, handler);
      assert.deepEqual(decode(res.Payload), { module: 'pkg.sub.mod', event: { n: 1 } });
    }
  });

  const initError = async (name: string, fixture: string, handler: string): Promise<LambdaError> => {
    await createFunction(t.lambda, name, fixture, { Runtime: 'python3.11', Handler: handler });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: json({}) }));
    assert.equal(res.FunctionError, 'Unhandled');
    return decode(res.Payload) as LambdaError;
  };

  it('reports init errors with Lambda\'s types and messages', async () => {
    assert.deepEqual(await initError('py-import-error', 'python-import-error', 'app.handler'), {
      errorMessage: "Unable to import module 'app': No module named 'module_that_does_not_exist'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    assert.match(
      await findLogLine('/aws/lambda/py-import-error', '[WARNING]'),
      /^\[WARNING\]\t\d{4}-\d{2}-\d{2}T[\d:.]+Z\t\tLAMBDA_WARNING: Unhandled exception\. /,
    );
    assert.equal(
      (await findLogLine('/aws/lambda/py-import-error', '[ERROR]')).trimEnd(),
      "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'module_that_does_not_exist'\rTraceback (most recent call last):",
    );
    assert.deepEqual(await initError('py-no-handler', 'python-errors', 'app.nothere'), {
      errorMessage: "Handler 'nothere' missing on module 'app'",
      errorType: 'Runtime.HandlerNotFound',
      requestId: '',
      stackTrace: [],
    });
    assert.deepEqual(await initError('py-bad-handler', 'python-errors', 'app'), {
      errorMessage: "Bad handler 'app': not enough values to unpack (expected 2, got 1)",
      errorType: 'Runtime.MalformedHandlerName',
      requestId: '',
      stackTrace: [],
    });
    const syntax = await initError('py-syntax', 'python-errors', 'pkg/broken.handler');
    assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(syntax.errorMessage, /^Syntax error in module 'pkg\/broken': .*\(broken\.py, line 4\)$/);
    assert.match(syntax.stackTrace[0]!, /^ {2}File ".+\/pkg\/broken\.py" Line 4\n {4}def handler\(event, context\)\n$/);
  });

  it('offers boto3 and its dependencies, and nothing else of the machine\'s Python packages', async () => {
    await createFunction(t.lambda, 'py-imports', 'python-imports', { Runtime: 'python3.11', Handler: 'app.handler' });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'py-imports', Payload: Buffer.from(JSON.stringify({ modules: ['boto3', 'botocore', 'dateutil', 'json', 'requests', 'pip'] })) }));
    assert.deepEqual(decode(res.Payload), { boto3: true, botocore: true, dateutil: true, json: true, requests: false, pip: false });
  });
});
