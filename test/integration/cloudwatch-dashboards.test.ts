import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, DeleteDashboardsCommand, GetDashboardCommand, ListDashboardsCommand, PutDashboardCommand, type DashboardEntry } from '@aws-sdk/client-cloudwatch';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

interface Failure {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}
const failure = (p: Promise<unknown>): Promise<Failure> =>
  p.then(
    () => assert.fail('expected an error'),
    (e: Failure) => e,
  );

const body = (title: string) =>
  JSON.stringify({
    widgets: [
      { type: 'text', x: 0, y: 0, width: 24, height: 2, properties: { markdown: `# ${title}` } },
      { type: 'metric', x: 0, y: 2, width: 12, height: 6, properties: { metrics: [['AWS/Lambda', 'Errors', 'FunctionName', 'orders']], region: 'us-east-1', stat: 'Sum', period: 300 } },
    ],
  });

describe('CloudWatch dashboards', () => {
  let t: TestPlatform;
  let cw: CloudWatchClient;
  before(async () => {
    t = await startTestPlatform();
    cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cw.destroy();
    await t.stop();
  });

  const list = async (prefix?: string): Promise<DashboardEntry[]> => {
    const out: DashboardEntry[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cw.send(new ListDashboardsCommand({ ...(prefix ? { DashboardNamePrefix: prefix } : {}), NextToken }));
      out.push(...page.DashboardEntries!);
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  };

  it('puts, gets, lists by prefix and replaces a dashboard', async () => {
    const before = Date.now();
    const put = await cw.send(new PutDashboardCommand({ DashboardName: 'orders-ops', DashboardBody: body('Orders') }));
    assert.deepEqual(put.DashboardValidationMessages ?? [], []);
    await cw.send(new PutDashboardCommand({ DashboardName: 'billing', DashboardBody: JSON.stringify({ widgets: [] }) }));

    const got = await cw.send(new GetDashboardCommand({ DashboardName: 'orders-ops' }));
    assert.deepEqual([got.DashboardName, got.DashboardArn, got.DashboardBody], ['orders-ops', 'arn:aws:cloudwatch::000000000000:dashboard/orders-ops', body('Orders')]);

    const entries = await list('orders-');
    assert.deepEqual(entries.map((e) => [e.DashboardName, e.DashboardArn, e.Size]), [['orders-ops', 'arn:aws:cloudwatch::000000000000:dashboard/orders-ops', Buffer.byteLength(body('Orders'))]]);
    assert.ok(entries[0]!.LastModified!.getTime() >= before - 1000, 'LastModified is when it was put');
    assert.deepEqual((await list()).map((e) => e.DashboardName), ['billing', 'orders-ops']);

    await cw.send(new PutDashboardCommand({ DashboardName: 'orders-ops', DashboardBody: body('Orders, again') }));
    assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: 'orders-ops' }))).DashboardBody, body('Orders, again'));
    assert.equal((await list()).length, 2);
  });

  it('refuses a body that is not JSON or lacks widgets, and bad names, with CloudWatch\'s messages', async () => {
    const notJson = await failure(cw.send(new PutDashboardCommand({ DashboardName: 'broken', DashboardBody: '{"widgets": [' })));
    assert.deepEqual([notJson.name, notJson.$metadata.httpStatusCode], ['DashboardInvalidInputError', 400]);
    assert.match(notJson.message, /must be a valid JSON object/);
    const noWidgets = await failure(cw.send(new PutDashboardCommand({ DashboardName: 'broken', DashboardBody: '{"start": "-PT6H"}' })));
    assert.match(noWidgets.message, /Should have required property 'widgets'/);
    const badWidgets = await failure(
      cw.send(
        new PutDashboardCommand({
          DashboardName: 'broken',
          DashboardBody: JSON.stringify({ widgets: [{ type: 'pie', properties: {} }, { type: 'text', width: 30, properties: {} }] }),
        }),
      ),
    );
    assert.match(badWidgets.message, /^The dashboard body is invalid, there are 3 validation errors: /);
    const listed = JSON.parse(badWidgets.message.slice(badWidgets.message.indexOf('['))) as { dataPath: string }[];
    assert.deepEqual(listed.map((m) => m.dataPath), ['/widgets/0/type', '/widgets/1/width', '/widgets/1/properties']);
    const badName = await failure(cw.send(new PutDashboardCommand({ DashboardName: 'has space', DashboardBody: body('x') })));
    assert.equal(badName.name, 'DashboardInvalidInputError');
    assert.match(badName.message, /DashboardName/);
    assert.ok(!(await list()).some((e) => e.DashboardName === 'broken' || e.DashboardName === 'has space'));
  });

  it('deletes all named dashboards or none, and answers ResourceNotFound for a missing one', async () => {
    await cw.send(new PutDashboardCommand({ DashboardName: 'temp-1', DashboardBody: body('1') }));
    await cw.send(new PutDashboardCommand({ DashboardName: 'temp-2', DashboardBody: body('2') }));
    const missing = await failure(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['temp-1', 'nope', 'temp-2'] })));
    // The SDK names DashboardNotFoundError by its code, ResourceNotFound.
    assert.deepEqual([missing.name, missing.$metadata.httpStatusCode], ['ResourceNotFound', 404]);
    assert.match(missing.message, /nope/);
    assert.deepEqual((await list('temp-')).map((e) => e.DashboardName), ['temp-1', 'temp-2'], 'none was deleted');
    await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['temp-1', 'temp-2'] }));
    assert.deepEqual(await list('temp-'), []);
    const gone = await failure(cw.send(new GetDashboardCommand({ DashboardName: 'temp-1' })));
    assert.deepEqual([gone.name, gone.$metadata.httpStatusCode], ['ResourceNotFound', 404]);
  });

  it('pages ListDashboards 1000 at a time', async () => {
    const names = Array.from({ length: 1005 }, (_, n) => `page-${String(n).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((DashboardName) => cw.send(new PutDashboardCommand({ DashboardName, DashboardBody: '{"widgets":[]}' }))));
    }
    const first = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'page-' }));
    assert.equal(first.DashboardEntries!.length, 1000);
    assert.ok(first.NextToken);
    const second = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'page-', NextToken: first.NextToken }));
    assert.deepEqual(second.DashboardEntries!.map((e) => e.DashboardName), names.slice(1000));
    assert.equal(second.NextToken, undefined);
  });

  it('answers the aws CLI (query protocol)', async () => {
    const r = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'cloudwatch', 'list-dashboards', '--dashboard-name-prefix', 'orders']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { DashboardEntries: { DashboardName: string; Size: number }[] };
    assert.deepEqual(out.DashboardEntries.map((e) => e.DashboardName), ['orders-ops']);
    assert.equal(out.DashboardEntries[0]!.Size, Buffer.byteLength(body('Orders, again')));
  });
});
