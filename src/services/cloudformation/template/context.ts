/** What intrinsic functions read while a template is evaluated. */
export interface ResolvedResource {
  ref: string;
  attributes: Readonly<Record<string, unknown>>;
  /** Its attributes are masked in outputs (a custom resource's NoEcho). */
  noEcho?: boolean;
}

export interface Pseudo {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  partition: string;
  urlSuffix: string;
  notificationArns: readonly string[];
}

export interface EvalContext {
  pseudo: Pseudo;
  /** Parameter values: lists (CommaDelimitedList, List<...>) as arrays. */
  parameters: Readonly<Record<string, string | readonly string[]>>;
  mappings: Readonly<Record<string, unknown>>;
  /** Evaluated conditions by name. */
  conditions: Readonly<Record<string, boolean>>;
  /** Logical ids of the template's resources (Ref to one that is not in `resource` yet is a dependency problem). */
  resourceIds: ReadonlySet<string>;
  /** A resource that exists, or undefined when it does not (yet). */
  resource(logicalId: string): ResolvedResource | undefined;
  /** An export's value, or undefined when none has the name. */
  importValue(name: string): string | undefined;
  /** Whether AWS::LanguageExtensions is among the template's transforms. */
  languageExtensions: boolean;
}

/** Evaluation could not finish: a value a function needs does not exist (yet). */
export class Unresolvable extends Error {}

export const pseudoValue = (ctx: Pick<EvalContext, 'pseudo'>, name: string): string | readonly string[] | undefined => {
  const p = ctx.pseudo;
  switch (name) {
    case 'AWS::AccountId':
      return p.accountId;
    case 'AWS::Region':
      return p.region;
    case 'AWS::StackName':
      return p.stackName;
    case 'AWS::StackId':
      return p.stackId;
    case 'AWS::Partition':
      return p.partition;
    case 'AWS::URLSuffix':
      return p.urlSuffix;
    case 'AWS::NotificationARNs':
      return p.notificationArns;
    default:
      return undefined;
  }
};

/** The availability zones Fn::GetAZs answers with: three, as a small region has. */
export const availabilityZones = (region: string): string[] => ['a', 'b', 'c'].map((z) => `${region}${z}`);
