/**
 * A fleet for a test: a PostgreSQL schema of its own, one master key file for every node, nodes in
 * this process (each on its own loopback address) or in processes of their own (to kill -9), the
 * gates their functions wait at, and the nodes' view of each other (`/_selfless/nodes`). `stop()`
 * opens the gates, stops every node and drops the schema.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { newGate, type Gate } from './gate.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from './platform.js';
import { until } from './poll.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testSchema, type TestSchema } from './test-store.js';

/** What a node says of the fleet. */
export interface NodesView {
  Self: string;
  Nodes: { NodeId: string; State: string; Advertise: string; LastHeartbeat: string; Warm: string[]; Provisioned: Record<string, number>; Leases: string[]; MaxEnvironments: number }[];
  Leases: { Name: string; Holder: string }[];
}

export const nodesView = async (url: string): Promise<NodesView> => (await (await fetch(`${url}/_selfless/nodes`)).json()) as NodesView;

/** When `view` last saw a heartbeat of node `id`. */
export const heartbeatOf = (view: NodesView, id: string): number => Date.parse(view.Nodes.find((n) => n.NodeId === id)!.LastHeartbeat);

/** A node in a process of its own, with a Lambda client on it. */
export interface NodeProcess {
  server: ServerProcess;
  lambda: LambdaClient;
}

type NodeOptions = NonNullable<Parameters<typeof startTestPlatform>[0]>;

export interface Fleet {
  schema: TestSchema;
  masterKeyFile: string;
  /** A node in this process on `host`; the fleet's defaults, then `extra`. */
  node(nodeId: string, host: string, extra?: NodeOptions): Promise<TestPlatform>;
  /** A node in a process of its own on `host`, started with the fleet's heartbeat, no pre-started runtimes, and `args`. */
  process(nodeId: string, host: string, args?: string[]): Promise<NodeProcess>;
  gate(): Promise<Gate>;
  /** Waits until the node at `url` sees `n` nodes alive. */
  alive(url: string, n: number): Promise<void>;
  stop(): Promise<void>;
}

/** `deadAfterS`: how long a silent node stays alive in the others' view. `defaults` go to every in-process node. */
export async function startFleet(name: string, deadAfterS: number, defaults: NodeOptions = {}): Promise<Fleet> {
  const schema = await testSchema();
  const dir = mkdtempSync(join(tmpdir(), `selfless-${name}-`));
  const masterKeyFile = join(dir, 'master.key');
  const platforms: TestPlatform[] = [];
  const processes: NodeProcess[] = [];
  const gates: Gate[] = [];
  return {
    schema,
    masterKeyFile,
    async node(nodeId, host, extra = {}) {
      const p = await startTestPlatform({ host, store: schema.url, nodeId, nodeDeadAfterMs: deadAfterS * 1000, prestartedRuntimes: 0, masterKeyFile, ...defaults, ...extra });
      platforms.push(p);
      return p;
    },
    async process(nodeId, host, args = []) {
      const server = await startServerProcess(join(dir, nodeId), [
        '--host', host, '--store', schema.url, '--node-id', nodeId, '--node-dead-after', String(deadAfterS), '--prestarted-runtimes', '0', '--master-key-file', masterKeyFile, ...args,
      ]);
      const p = { server, lambda: new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 }) };
      processes.push(p);
      return p;
    },
    async gate() {
      const g = await newGate();
      gates.push(g);
      return g;
    },
    async alive(url, n) {
      await until(() => nodesView(url), (v) => v.Nodes.filter((node) => node.State === 'alive').length === n, `${n} nodes alive`);
    },
    async stop() {
      for (const g of gates) {
        g.open();
        g.close();
      }
      for (const p of processes) {
        p.server.kill();
        p.lambda.destroy();
      }
      for (const p of platforms) await p.stop().catch(() => undefined);
      await schema.drop();
    },
  };
}
