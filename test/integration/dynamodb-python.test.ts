import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

/** boto3 (resource and client APIs) and the aws CLI v1 against the same server. */
describe('DynamoDB through boto3 and the aws CLI', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => {
    await t.stop();
  });

  it('boto3 resource: a table, batch_writer, conditions built by Key and Attr, Decimals; client: a cancelled transaction', async () => {
    const script = `
import boto3, json, sys
from decimal import Decimal
from boto3.dynamodb.conditions import Key, Attr
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
ddb = boto3.resource('dynamodb', **kw)
table = ddb.create_table(TableName='Scores', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'game', 'AttributeType': 'S'}, {'AttributeName': 'score', 'AttributeType': 'N'}],
    KeySchema=[{'AttributeName': 'game', 'KeyType': 'HASH'}, {'AttributeName': 'score', 'KeyType': 'RANGE'}])
table.wait_until_exists()
with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={'game': 'chess', 'score': Decimal(i) / 4, 'player': 'p%d' % (i % 5), 'tags': {'a', 'b'} if i % 2 else {'a'}})
top = table.query(KeyConditionExpression=Key('game').eq('chess') & Key('score').between(Decimal('5'), Decimal('6.5')),
    FilterExpression=Attr('player').is_in(['p0', 'p1']) & Attr('tags').contains('b'), ScanIndexForward=False)
item = table.get_item(Key={'game': 'chess', 'score': Decimal('7.25')})['Item']
table.update_item(Key={'game': 'chess', 'score': Decimal('7.25')}, UpdateExpression='SET wins = if_not_exists(wins, :z) + :one',
    ExpressionAttributeValues={':z': 0, ':one': 1})
wins = table.get_item(Key={'game': 'chess', 'score': Decimal('7.25')}, ProjectionExpression='wins')['Item']
client = boto3.client('dynamodb', **kw)
try:
    client.transact_write_items(TransactItems=[
        {'Put': {'TableName': 'Scores', 'Item': {'game': {'S': 'go'}, 'score': {'N': '1'}}}},
        {'Delete': {'TableName': 'Scores', 'Key': {'game': {'S': 'chess'}, 'score': {'N': '0'}}, 'ConditionExpression': 'attribute_not_exists(game)'}},
    ])
    cancelled = None
except client.exceptions.TransactionCanceledException as e:
    cancelled = [r['Code'] for r in e.response['CancellationReasons']]
go = client.get_item(TableName='Scores', Key={'game': {'S': 'go'}, 'score': {'N': '1'}}).get('Item')
count = client.scan(TableName='Scores', Select='COUNT', TotalSegments=2, Segment=0)['Count'] + client.scan(TableName='Scores', Select='COUNT', TotalSegments=2, Segment=1)['Count']
print(json.dumps({'top': [str(i['score']) for i in top['Items']], 'item': {'player': item['player'], 'tags': sorted(item['tags'])},
    'wins': str(wins['wins']), 'cancelled': cancelled, 'go': go, 'count': count}))
`;
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    // Scores 5..6.5 are i = 20..26; p0/p1 are i % 5 in {0, 1}; odd i carry tag b: i = 21 and 25, highest first.
    assert.deepEqual(out['top'], ['6.25', '5.25']);
    assert.deepEqual(out['item'], { player: 'p4', tags: ['a', 'b'] });
    assert.equal(out['wins'], '1');
    assert.deepEqual(out['cancelled'], ['None', 'ConditionalCheckFailed']);
    assert.equal(out['go'], null, 'the cancelled transaction wrote nothing');
    assert.equal(out['count'], 30);
  });

  it('aws dynamodb (CLI v1): create-table, put-item, get-item, query, execute-statement', async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'dynamodb', ...args]);
    const created = await aws(
      'create-table',
      '--table-name', 'Cli',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).TableDescription.TableName, 'Cli');
    const put = await aws('put-item', '--table-name', 'Cli', '--item', '{"id": {"S": "x"}, "n": {"N": "42"}}', '--condition-expression', 'attribute_not_exists(id)');
    assert.equal(put.code, 0, put.stderr);
    const again = await aws('put-item', '--table-name', 'Cli', '--item', '{"id": {"S": "x"}}', '--condition-expression', 'attribute_not_exists(id)');
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /ConditionalCheckFailedException/);
    const got = await aws('get-item', '--table-name', 'Cli', '--key', '{"id": {"S": "x"}}');
    assert.deepEqual(JSON.parse(got.stdout), { Item: { id: { S: 'x' }, n: { N: '42' } } });
    const q = await aws('query', '--table-name', 'Cli', '--key-condition-expression', 'id = :id', '--expression-attribute-values', '{":id": {"S": "x"}}');
    assert.equal(JSON.parse(q.stdout).Count, 1);
    const updated = await aws('execute-statement', '--statement', `UPDATE Cli SET n = n + 1 WHERE id = 'x' RETURNING MODIFIED NEW *`);
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(JSON.parse(updated.stdout).Items, [{ n: { N: '43' } }]);
    const selected = await aws('execute-statement', '--statement', 'SELECT * FROM Cli WHERE id = ?', '--parameters', '[{"S": "x"}]');
    assert.deepEqual(JSON.parse(selected.stdout).Items, [{ id: { S: 'x' }, n: { N: '43' } }]);
  });
});
