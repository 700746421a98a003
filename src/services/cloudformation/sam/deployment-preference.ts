/**
 * DeploymentPreference: gradual deployments of a function's alias through CodeDeploy. Each enabled
 * function gets a deployment group and its alias an `UpdatePolicy.CodeDeployLambdaAliasUpdate`; the
 * stack gets one CodeDeploy application and (unless every preference names a Role) one service role.
 */
import { invalidResource } from './errors.js';
import { getAtt, isIf, isIntrinsic, isNoValue, ref, type Json, type JsonObject } from './intrinsics.js';
import { cfn, tagList, type CfnResource } from './model.js';

const APPLICATION_ID = 'ServerlessDeploymentApplication';
const SERVICE_ROLE_ID = 'CodeDeployServiceRole';
const CONDITION_NAME = 'ServerlessCodeDeployCondition';
const PREDEFINED = new Set([
  'Canary10Percent5Minutes', 'Canary10Percent10Minutes', 'Canary10Percent15Minutes', 'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute', 'Linear10PercentEvery2Minutes', 'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes', 'AllAtOnce',
]);

interface Preference {
  enabled: boolean;
  type?: Json;
  preTraffic?: Json;
  postTraffic?: Json;
  alarms?: Json;
  role?: Json;
  triggers?: Json;
  condition?: Json;
  tags?: JsonObject;
  propagateTags: boolean;
}

export class DeploymentPreferences {
  private readonly byFunction = new Map<string, Preference>();

  constructor(private readonly partition: string) {}

  /** Records a function's (already parameter-resolved) preference; true when it is enabled. */
  add(logicalId: string, dict: JsonObject, condition: Json | undefined, tags: Json | undefined, propagateTags: boolean): boolean {
    let enabled = dict['Enabled'] ?? true;
    if (enabled === 'false' || enabled === 'False') enabled = false;
    if (!enabled) {
      this.byFunction.set(logicalId, { enabled: false, propagateTags: false });
      return false;
    }
    if (!('Type' in dict)) throw invalidResource(logicalId, "'DeploymentPreference' is missing required Property 'Type'");
    const hooks = dict['Hooks'] ?? {};
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
      throw invalidResource(logicalId, "'Hooks' property of 'DeploymentPreference' must be a dictionary");
    }
    this.byFunction.set(logicalId, {
      enabled: true,
      type: dict['Type'],
      preTraffic: hooks['PreTraffic'] ?? undefined,
      postTraffic: hooks['PostTraffic'] ?? undefined,
      alarms: dict['Alarms'] ?? undefined,
      role: dict['Role'] ?? undefined,
      triggers: dict['TriggerConfigurations'] ?? undefined,
      condition: dict['PassthroughCondition'] ? condition : undefined,
      tags: propagateTags && tags && typeof tags === 'object' && !Array.isArray(tags) && Object.keys(tags).length > 0 ? tags : undefined,
      propagateTags,
    });
    return true;
  }

  updatePolicy(logicalId: string): JsonObject {
    const p = this.byFunction.get(logicalId)!;
    const update: JsonObject = { ApplicationName: ref(APPLICATION_ID), DeploymentGroupName: ref(`${logicalId}DeploymentGroup`) };
    if (p.preTraffic !== undefined && p.preTraffic !== null) update['BeforeAllowTrafficHook'] = p.preTraffic;
    if (p.postTraffic !== undefined && p.postTraffic !== null) update['AfterAllowTrafficHook'] = p.postTraffic;
    return { CodeDeployLambdaAliasUpdate: update };
  }

  /** The stack-level resources, and the conditions they need, once every function is translated. */
  resources(conditions: JsonObject): Array<[string, CfnResource]> {
    const all = [...this.byFunction.entries()];
    const enabled = all.filter(([, p]) => p.enabled);
    if (enabled.length === 0) return [];
    const out: Array<[string, CfnResource]> = [];
    const allConditional = all.length > 0 && !all.some(([, p]) => !p.condition && p.enabled);
    const conditionNames = [...new Set(all.map(([, p]) => p.condition).filter((c) => c !== undefined && c !== null))];
    let sharedCondition: Json | undefined;
    if (allConditional) {
      sharedCondition = conditionNames.length <= 1 ? conditionNames[0] : CONDITION_NAME;
      if (conditionNames.length >= 2) conditions[CONDITION_NAME] = { 'Fn::Or': conditionNames.map((c) => ({ Condition: c })) };
    }
    const mergedTags: JsonObject = {};
    for (const [, p] of enabled) if (p.propagateTags && p.tags) Object.assign(mergedTags, p.tags);
    const tags = Object.keys(mergedTags).length > 0 ? tagList(mergedTags) : undefined;
    const attrs = sharedCondition !== undefined ? { Condition: sharedCondition } : {};

    out.push([APPLICATION_ID, cfn('AWS::CodeDeploy::Application', { ComputePlatform: 'Lambda', Tags: tags }, attrs)]);
    if (!all.every(([, p]) => p.role || !p.enabled)) {
      out.push([
        SERVICE_ROLE_ID,
        cfn(
          'AWS::IAM::Role',
          {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['codedeploy.amazonaws.com'] } }],
            },
            ManagedPolicyArns: [this.codeDeployPolicyArn()],
            Tags: tags,
          },
          attrs,
        ),
      ]);
    }
    for (const [logicalId, p] of enabled) out.push([`${logicalId}DeploymentGroup`, this.deploymentGroup(logicalId, p)]);
    return out;
  }

  private codeDeployPolicyArn(): string {
    const limited = this.partition === 'aws-iso' || this.partition === 'aws-iso-b';
    return `arn:${this.partition}:iam::aws:policy/service-role/${limited ? 'AWSCodeDeployRoleForLambdaLimited' : 'AWSCodeDeployRoleForLambda'}`;
  }

  private deploymentGroup(logicalId: string, p: Preference): CfnResource {
    return cfn(
      'AWS::CodeDeploy::DeploymentGroup',
      {
        AlarmConfiguration: alarmConfiguration(logicalId, p.alarms),
        ApplicationName: ref(APPLICATION_ID),
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
        },
        DeploymentConfigName: deploymentConfigName(structuredClone(p.type!)),
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ServiceRoleArn: p.role ? p.role : getAtt(SERVICE_ROLE_ID, 'Arn'),
        TriggerConfigurations: p.triggers || undefined,
        Tags: p.tags ? tagList(p.tags) : undefined,
      },
      p.condition ? { Condition: p.condition } : {},
    );
  }
}

function alarmConfiguration(logicalId: string, alarms: Json | undefined): Json | undefined {
  if (!alarms || isNoValue(alarms)) return undefined;
  const build = (list: Json): JsonObject => {
    if (!Array.isArray(list)) throw invalidResource(logicalId, 'Alarms must be a list');
    if (list.length === 0 || isNoValue(list[0])) return {};
    return { Enabled: true, Alarms: list.map((name) => ({ Name: name })) };
  };
  if (isIf(alarms)) {
    const [cond, a, b] = alarms['Fn::If'] as [Json, Json, Json];
    return { 'Fn::If': [cond, build(a), build(b)] };
  }
  return build(alarms);
}

/** `Canary10Percent5Minutes` → `CodeDeployDefault.LambdaCanary10Percent5Minutes`, inside intrinsics too. */
function deploymentConfigName(value: Json, key?: string): Json {
  if (Array.isArray(value)) return value.map((v) => deploymentConfigName(v));
  if (isIntrinsic(value)) {
    for (const [k, v] of Object.entries(value)) value[k] = deploymentConfigName(v, k);
    return value;
  }
  if (typeof value === 'string' && PREDEFINED.has(value)) {
    const args: Json = ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: value }];
    return key === 'Fn::Sub' ? args : { 'Fn::Sub': args };
  }
  return value;
}
