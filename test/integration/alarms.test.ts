import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { AwsError } from '../../src/wire/errors.js';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, run } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

interface Alarm {
  AlarmName: string;
  StateValue: string;
  StateReason: string;
  DatapointsToAlarm: number;
  TreatMissingData: string;
}
interface HistoryItem {
  OldStateValue: string;
  NewStateValue: string;
  Reason: string;
  Timestamp: string;
}
interface AlarmMessage {
  AlarmName: string;
  NewStateValue: string;
  OldStateValue: string;
  NewStateReason: string;
  StateChangeTime: string;
  Trigger: Record<string, unknown>;
}

const errorsAlarm = (extra: Record<string, unknown> = {}) => ({
  Metric: 'Errors',
  FunctionName: 'flaky',
  Statistic: 'Sum',
  PeriodSeconds: 60,
  EvaluationPeriods: 1,
  DatapointsToAlarm: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  ...extra,
});

/** A server's alarm routes, by plain HTTP as any client would call them. */
function alarmApi(url: () => string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url()}/_selfless${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: (text ? JSON.parse(text) : undefined) as unknown };
  };
  return {
    call,
    put: async (name: string, body: unknown) => {
      const res = await call('PUT', `/alarms/${name}`, body);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      return res.json as Alarm;
    },
    get: async (name: string) => (await call('GET', `/alarms/${name}`)).json as Alarm,
    history: async (name: string) => ((await call('GET', `/alarms/${name}/history`)).json as { AlarmHistoryItems: HistoryItem[] }).AlarmHistoryItems,
  };
}

describe('alarms on function metrics', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  const clock = new ManualClock();
  const api = alarmApi(() => t.platform.url);
  const queues: Record<string, { url: string; arn: string }> = {};

  before(async () => {
    t = await startTestPlatform({}, undefined, { alarmClock: clock });
    sqs = sqsClient(t.platform.url);
    await createFunction(t.lambda, 'flaky', 'actions');
    for (const name of ['on-alarm', 'on-ok']) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      queues[name] = { url: QueueUrl!, arn: attrs.Attributes!['QueueArn']! };
    }
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  /** The next message on a queue, as a CloudWatch alarm notification. */
  const nextMessage = async (queue: string): Promise<AlarmMessage> => {
    for (let i = 0; i < 20; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues[queue]!.url, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
      if (Messages?.[0]) return JSON.parse(Messages[0].Body!) as AlarmMessage;
    }
    throw new Error(`no message on ${queue}`);
  };
  const invoke = (event: unknown) => t.lambda.send(new InvokeCommand({ FunctionName: 'flaky', Payload: Buffer.from(JSON.stringify(event)) }));
  /** Advances the alarm clock and waits until the alarm's evaluation has acted on it. */
  const advance = async (ms: number, name: string, state: string) => {
    clock.advance(ms);
    await waitFor(async () => (await api.get(name)).StateValue === state, `${name} to be ${state}`);
  };

  it('goes to ALARM when the function fails, back to OK when it stops, and runs each state\'s actions', async () => {
    const put = await api.put('flaky-errors', errorsAlarm({ TreatMissingData: 'notBreaching', AlarmActions: [queues['on-alarm']!.arn], OKActions: [queues['on-ok']!.arn] }));
    assert.equal(put.StateValue, 'OK', 'no data yet, and missing data is not breaching');
    const first = await nextMessage('on-ok');
    assert.equal(first.OldStateValue, 'INSUFFICIENT_DATA');
    assert.equal(first.NewStateValue, 'OK');

    for (let i = 0; i < 3; i++) assert.equal((await invoke({ action: 'throw' })).FunctionError, 'Unhandled');
    // Metrics are stamped by the server's own clock: step the alarm clock past the minute they fell in.
    const m = (await (await fetch(`${t.platform.url}/_selfless/functions/flaky/metrics?minutes=5`)).json()) as { PerMinute: { Minute: string; Errors: number }[] };
    const errorMinute = Date.parse(m.PerMinute.find((p) => p.Errors > 0)!.Minute);
    await advance(Math.max(60_000, errorMinute + 60_000 - clock.now()), 'flaky-errors', 'ALARM');

    const alarm = await api.get('flaky-errors');
    assert.match(alarm.StateReason, /^Threshold Crossed: 1 out of the last 1 datapoint \[3\.0\] was greater than the threshold \(0\.0\)/);
    const history = await api.history('flaky-errors');
    assert.deepEqual(
      history.map((h) => `${h.OldStateValue}->${h.NewStateValue}`),
      ['OK->ALARM', 'INSUFFICIENT_DATA->OK'],
    );
    assert.equal(history[0]!.Reason, alarm.StateReason);

    const msg = await nextMessage('on-alarm');
    assert.equal(msg.AlarmName, 'flaky-errors');
    assert.equal(msg.NewStateValue, 'ALARM');
    assert.equal(msg.OldStateValue, 'OK');
    assert.equal(msg.NewStateReason, alarm.StateReason);
    assert.ok(!Number.isNaN(Date.parse(msg.StateChangeTime)));
    assert.deepEqual(
      { ...msg.Trigger, Namespace: undefined, DatapointsToAlarm: undefined, TreatMissingData: undefined },
      {
        MetricName: 'Errors',
        Namespace: undefined,
        Dimensions: [{ name: 'FunctionName', value: 'flaky' }],
        Statistic: 'SUM',
        Period: 60,
        EvaluationPeriods: 1,
        DatapointsToAlarm: undefined,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: undefined,
      },
    );

    for (let i = 0; i < 3; i++) assert.equal((await invoke({ action: 'sleep', ms: 1 })).FunctionError, undefined);
    await advance(60_000, 'flaky-errors', 'OK');
    const back = await nextMessage('on-ok');
    assert.equal(back.OldStateValue, 'ALARM');
    assert.equal(back.NewStateValue, 'OK');
    assert.equal((await api.history('flaky-errors')).length, 3);
  });

  it('treats missing data as breaching, not breaching, missing or ignored', async () => {
    const quiet = { FunctionName: 'never-invoked' };
    const breaching = await api.put('quiet-breaching', errorsAlarm({ ...quiet, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'breaching' }));
    assert.equal(breaching.StateValue, 'ALARM');
    assert.match(breaching.StateReason, /no datapoints were received for 3 periods and 3 missing datapoints were treated as \[Breaching\]/);
    const notBreaching = await api.put('quiet-not-breaching', errorsAlarm({ ...quiet, TreatMissingData: 'notBreaching' }));
    assert.equal(notBreaching.StateValue, 'OK');
    assert.match(notBreaching.StateReason, /\[NonBreaching\]/);
    const missing = await api.put('quiet-missing', errorsAlarm(quiet));
    assert.equal(missing.TreatMissingData, 'missing', 'the default');
    assert.equal(missing.StateValue, 'INSUFFICIENT_DATA');
    assert.deepEqual(await api.history('quiet-missing'), [], 'no change of state, nothing recorded');
    const ignored = await api.put('quiet-ignore', errorsAlarm({ ...quiet, TreatMissingData: 'ignore' }));
    assert.equal(ignored.StateValue, 'INSUFFICIENT_DATA');

    await advance(60_000, 'quiet-breaching', 'ALARM');
    assert.equal((await api.history('quiet-breaching')).length, 1, 'staying in ALARM is no transition');
    assert.equal((await api.get('quiet-not-breaching')).StateValue, 'OK');
    assert.equal((await api.get('quiet-missing')).StateValue, 'INSUFFICIENT_DATA');
  });

  it('refuses invalid alarms with 400', async () => {
    const refused = async (body: unknown, message: RegExp, name = 'bad') => {
      const res = await api.call('PUT', `/alarms/${name}`, body);
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.equal(res.type, 'InvalidParameterValueException');
      assert.match((res.json as { Message: string }).Message, message);
    };
    await refused(errorsAlarm({ ComparisonOperator: 'GreaterThan' }), /ComparisonOperator/);
    await refused(errorsAlarm({ EvaluationPeriods: 2, DatapointsToAlarm: 3 }), /DatapointsToAlarm: must not be greater than EvaluationPeriods/);
    await refused(errorsAlarm({ PeriodSeconds: 90 }), /PeriodSeconds: must be a multiple of 60/);
    await refused(errorsAlarm({ Statistic: 'p99' }), /statistic p99 is not available for Errors/);
    await refused(errorsAlarm({ Metric: 'CpuTime' }), /Metric/);
    await refused(errorsAlarm({ Version: '1', Alias: 'live' }), /Version or Alias/);
    await refused(errorsAlarm({ AlarmActions: ['arn:aws:sns:us-east-1:000000000000:topic'] }), /not supported/);
    await refused(errorsAlarm({ Unknown: 1 }), /Unrecognized key/);
    await refused(errorsAlarm(), /AlarmName/, 'no%20spaces');
    assert.equal((await api.call('GET', '/alarms/bad')).status, 404);
  });

  it('posts the change to a webhook, and a failing webhook harms nothing', async () => {
    const received: AlarmMessage[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as AlarmMessage);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alarm`;
      await api.put('hooked', errorsAlarm({ FunctionName: 'never-invoked', TreatMissingData: 'breaching', AlarmActions: ['http://127.0.0.1:1/refused', hook] }));
      await waitFor(() => received.length > 0, 'the webhook POST');
      assert.equal(received[0]!.AlarmName, 'hooked');
      assert.equal(received[0]!.NewStateValue, 'ALARM');
      assert.equal(received[0]!.OldStateValue, 'INSUFFICIENT_DATA');
    } finally {
      server.close();
    }
  });

  it('invokes a function asynchronously as an action', async () => {
    await createFunction(t.lambda, 'responder', 'echo');
    const arn = (await t.lambda.send(new GetFunctionCommand({ FunctionName: 'responder' }))).Configuration!.FunctionArn!;
    await api.put('to-function', errorsAlarm({ FunctionName: 'never-invoked', TreatMissingData: 'breaching', AlarmActions: [arn] }));
    await waitFor(async () => {
      const m = (await (await fetch(`${t.platform.url}/_selfless/functions/responder/metrics?minutes=5`)).json()) as { Total: { Invocations: number } };
      return m.Total.Invocations > 0;
    }, 'the action function to run');
  });

  it('lists alarms, deletes them and answers states for deployments', async () => {
    const list = (await api.call('GET', '/alarms')).json as { MetricAlarms: Alarm[] };
    assert.ok(list.MetricAlarms.some((a) => a.AlarmName === 'flaky-errors' && a.StateValue === 'OK'));
    const states = await t.platform.alarms.alarmStates(['flaky-errors', 'quiet-breaching']);
    assert.deepEqual([...states], [['flaky-errors', 'OK'], ['quiet-breaching', 'ALARM']]);
    await assert.rejects(t.platform.alarms.alarmStates(['flaky-errors', 'nope']), (e: unknown) => e instanceof AwsError && e.code === 'InvalidParameterValueException' && /nope/.test(e.message));

    const cli = (...args: string[]) => run(process.execPath, [SELFLESS_BIN, ...args, '--endpoint', t.platform.url]);
    const listed = await cli('alarms');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /ALARM\s+quiet-breaching\s+never-invoked Errors Sum > 0/);
    const history = await cli('alarms', 'history', 'flaky-errors');
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /ALARM -> OK {2}Threshold Crossed/);

    assert.equal((await api.call('DELETE', '/alarms/quiet-ignore')).status, 204);
    assert.equal((await api.call('GET', '/alarms/quiet-ignore')).status, 404);
    assert.equal((await api.call('DELETE', '/alarms/quiet-ignore')).status, 404);
  });
});

describe('alarms across a restart', () => {
  it('keeps definitions, states and history', async () => {
    let t = await startTestPlatform({}, undefined, { alarmClock: new ManualClock() });
    const api = alarmApi(() => t.platform.url);
    await api.put('kept', errorsAlarm({ TreatMissingData: 'breaching' }));
    const before = await api.history('kept');
    assert.equal(before.length, 1);
    await t.stop(false);

    t = await startTestPlatform({}, t.dataDir, { alarmClock: new ManualClock() });
    try {
      const alarm = await api.get('kept');
      assert.equal(alarm.StateValue, 'ALARM');
      assert.deepEqual(await api.history('kept'), before);
      assert.deepEqual([...(await t.platform.alarms.alarmStates(['kept']))], [['kept', 'ALARM']]);
    } finally {
      await t.stop();
    }
  });
});
