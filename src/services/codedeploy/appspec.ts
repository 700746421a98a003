/**
 * A Lambda AppSpec (JSON or YAML): one function resource whose alias shifts from CurrentVersion to
 * TargetVersion, and up to two hooks (BeforeAllowTraffic, AfterAllowTraffic) naming validation functions.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CodeDeployErrors } from '../../wire/errors.js';
import type { LambdaTarget } from './model.js';

const Scalar = z.union([z.string(), z.number()]).transform(String);
const FunctionResource = z.object({
  Type: z.literal('AWS::Lambda::Function'),
  Properties: z.object({ Name: z.string().min(1), Alias: z.string().min(1), CurrentVersion: Scalar, TargetVersion: Scalar }),
});
const AppSpec = z.object({
  version: z.union([z.number(), z.string()]).optional(),
  Resources: z.array(z.record(z.string(), FunctionResource)).length(1),
  Hooks: z.array(z.partialRecord(z.enum(['BeforeAllowTraffic', 'AfterAllowTraffic']), z.string().min(1))).optional(),
});

export function parseAppSpec(content: string): LambdaTarget {
  let raw: unknown;
  try {
    raw = parseYaml(content); // YAML 1.2 reads JSON too
  } catch (err) {
    throw CodeDeployErrors.invalidRevision(`The AppSpec file is not valid JSON or YAML: ${(err as Error).message}`);
  }
  const parsed = AppSpec.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw CodeDeployErrors.invalidRevision(`The AppSpec file is not a valid Lambda AppSpec: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const resources = Object.values(parsed.data.Resources[0]!);
  if (resources.length !== 1) throw CodeDeployErrors.invalidRevision('The AppSpec file must name exactly one Lambda function resource.');
  const p = resources[0]!.Properties;
  const hooks = Object.assign({}, ...(parsed.data.Hooks ?? [])) as Partial<Record<'BeforeAllowTraffic' | 'AfterAllowTraffic', string>>;
  return {
    functionName: p.Name,
    alias: p.Alias,
    currentVersion: p.CurrentVersion,
    targetVersion: p.TargetVersion,
    ...(hooks.BeforeAllowTraffic ? { beforeAllowTraffic: hooks.BeforeAllowTraffic } : {}),
    ...(hooks.AfterAllowTraffic ? { afterAllowTraffic: hooks.AfterAllowTraffic } : {}),
  };
}
