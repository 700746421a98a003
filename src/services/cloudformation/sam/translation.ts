/**
 * What one run of the transform shares between the resource translators: the context, parameter
 * values, the SAM template being read (after Globals and implicit APIs), and what has been generated.
 */
import type { Json, JsonObject } from './intrinsics.js';
import type { CfnResource, SamContext } from './model.js';
import type { DeploymentPreferences } from './deployment-preference.js';

export interface Translation {
  readonly ctx: SamContext;
  /** Template parameter values (given, then defaults) plus AWS::Region and AWS::Partition. */
  readonly params: Readonly<Record<string, Json>>;
  /** The SAM template's Resources, as plugins left them; S3 events update buckets in place. */
  readonly samResources: JsonObject;
  readonly mappings: JsonObject;
  /** The output template's Conditions (generated conditions are added here). */
  readonly conditions: JsonObject;
  readonly deployments: DeploymentPreferences;
  /** `Function.Alias`-style references: SAM logical id → property → generated logical id. */
  readonly references: Map<string, Map<string, string>>;
  /** SAM logical ids the transform changed (a layer version gets a hash suffix): old → new. */
  readonly renamed: Map<string, string>;
  /** Function names per REST API id, which redeploy the API when they change. */
  readonly functionNamesByApi: Map<string, string[]>;
  /** What the APIs with a SHARED usage plan have put in it so far (API ids, their stages, in order). */
  readonly sharedUsagePlan: { apis: string[]; stages: string[] };
}

/** What a translator returns: generated resources in order (logical id → resource). */
export type Emitted = Array<[string, CfnResource]>;
