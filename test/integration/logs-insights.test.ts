/**
 * Logs Insights through the SDK: StartQuery over a function's stored lines (its REPORT fields
 * discovered) and over PutLogEvents events, GetQueryResults until Complete, StopQuery, DescribeQueries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeQueriesCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const DEADLINE_MS = 60_000;

describe('Logs Insights', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  const window = () => ({ startTime: Math.floor(Date.now() / 1000) - 3600, endTime: Math.floor(Date.now() / 1000) + 60 });
  const results = async (queryId: string): Promise<GetQueryResultsCommandOutput> => {
    const until = Date.now() + DEADLINE_MS;
    for (;;) {
      const r = await p.logs.send(new GetQueryResultsCommand({ queryId }));
      if (r.status === 'Complete' || r.status === 'Failed' || Date.now() > until) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  const rows = (r: GetQueryResultsCommandOutput) => (r.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));

  it("reads a function's REPORT lines and JSON lines", async () => {
    await createFunction(p.lambda, 'insights-fn', 'log-json');
    for (const amount of [1, 2, 3]) await p.lambda.send(new InvokeCommand({ FunctionName: 'insights-fn', Payload: JSON.stringify({ orders: [{ amount, region: amount === 2 ? 'us' : 'eu' }] }) }));

    const reports = await p.logs.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/insights-fn',
        ...window(),
        queryString: 'filter @type = "REPORT" | stats count(*) as invocations, max(@maxMemoryUsed / 1000 / 1000) as maxMb, avg(@billedDuration) as billed, min(@memorySize) as mem',
      }),
    );
    const r = await results(reports.queryId!);
    assert.equal(r.status, 'Complete');
    const [row] = rows(r);
    assert.equal(row?.['invocations'], '3');
    assert.equal(row?.['mem'], '128000000');
    assert.ok(Number(row?.['maxMb']) > 0 && Number(row?.['billed']) >= 1, JSON.stringify(row));
    assert.equal(r.statistics?.recordsMatched, 3);
    assert.ok((r.statistics?.recordsScanned ?? 0) >= 15, 'START, order, done, END, REPORT per invocation');

    const orders = await p.logs.send(
      new StartQueryCommand({ logGroupName: '/aws/lambda/insights-fn', ...window(), queryString: 'filter type = "order" | stats sum(amount) as total, count(*) as n by region | sort region' }),
    );
    assert.deepEqual(rows(await results(orders.queryId!)), [
      { region: 'eu', total: '4', n: '2' },
      { region: 'us', total: '2', n: '1' },
    ]);
  });

  it('queries PutLogEvents events with parse, sort and limit; refuses a malformed query', async () => {
    const logGroupName = '/app/insights';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'web' }));
    const t0 = Date.now() - 120_000;
    await p.logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 'web',
        logEvents: ['GET /a 200 12', 'GET /b 500 340', 'POST /c 201 55', 'GET /d 503 800'].map((message, i) => ({ timestamp: t0 + i * 1000, message })),
      }),
    );
    const q = await p.logs.send(
      new StartQueryCommand({
        logGroupNames: [logGroupName],
        ...window(),
        queryString: 'parse @message "* * * *" as method, path, status, ms | filter status >= 500 | sort ms desc | fields path, ms, @logStream, @timestamp | limit 1',
      }),
    );
    const r = await results(q.queryId!);
    assert.deepEqual(rows(r), [{ path: '/d', ms: '800', '@logStream': 'web', '@timestamp': new Date(t0 + 3000).toISOString().replace('T', ' ').replace('Z', '') }]);
    assert.equal(r.statistics?.recordsMatched, 2);

    await assert.rejects(p.logs.send(new StartQueryCommand({ logGroupName, ...window(), queryString: 'fields @message | dedup @message' })), (err: Error) => err.name === 'MalformedQueryException' && /dedup/.test(err.message));
    await assert.rejects(p.logs.send(new StartQueryCommand({ logGroupName: '/app/none', ...window(), queryString: 'fields @message' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(p.logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-4000-8000-000000000000' })), { name: 'ResourceNotFoundException' });

    assert.equal((await p.logs.send(new StopQueryCommand({ queryId: q.queryId! }))).success, false, 'a query that has ended cannot stop');
    const listed = await p.logs.send(new DescribeQueriesCommand({ logGroupName }));
    assert.deepEqual(listed.queries?.map((x) => [x.queryId, x.status, x.logGroupName]), [[q.queryId, 'Complete', logGroupName]]);
  });
});
