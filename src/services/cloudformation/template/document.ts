/**
 * A template made ready for evaluation: parsed, its structure checked, its transforms applied (SAM
 * through ./sam/index.js; AWS::LanguageExtensions' Fn::ForEach once parameters are known).
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { expandServerless, SamTransformError } from '../sam/index.js';
import { parseTemplate, type Template } from './parse.js';

export const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';
export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);

export interface Document {
  template: Template;
  transforms: string[];
  description?: string;
}

export const transformsOf = (template: Template): string[] => {
  const t = template['Transform'];
  return t === undefined ? [] : (Array.isArray(t) ? t : [t]).map((x) => (typeof x === 'string' ? x : String((x as { Name?: unknown })?.Name)));
};

export function readDocument(body: string): Document {
  const template = parseTemplate(body);
  // `Globals` is the SAM transform's own section, which it removes.
  const serverless = transformsOf(template).includes(SERVERLESS_TRANSFORM);
  const unknown = Object.keys(template).filter((k) => !SECTIONS.has(k) && !(serverless && k === 'Globals'));
  if (unknown.length > 0) throw CloudFormationErrors.validation(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`);
  const version = template['AWSTemplateFormatVersion'];
  if (version !== undefined && String(version) !== '2010-09-09' && !(version instanceof Date)) throw CloudFormationErrors.validation(`Template format error: Unsupported template version ${String(version)}`);
  const resources = template['Resources'];
  if (resources === undefined || typeof resources !== 'object' || Array.isArray(resources) || resources === null) {
    throw CloudFormationErrors.validation('Template format error: At least one Resources member must be defined.');
  }
  const transforms = transformsOf(template);
  const unsupported = transforms.filter((t) => t !== SERVERLESS_TRANSFORM && t !== LANGUAGE_EXTENSIONS);
  if (unsupported.length > 0) throw CloudFormationErrors.validation(`Transform ${unsupported.join(', ')} is not supported`);
  for (const [id, r] of Object.entries(resources as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9]+$/.test(id) && !id.startsWith('Fn::ForEach::')) throw CloudFormationErrors.validation(`Template format error: Resource name ${id} is non alphanumeric.`);
    if (!id.startsWith('Fn::ForEach::') && typeof (r as { Type?: unknown } | null)?.Type !== 'string') {
      throw CloudFormationErrors.validation(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
  const description = typeof template['Description'] === 'string' ? template['Description'] : undefined;
  return { template, transforms, ...(description !== undefined ? { description } : {}) };
}

/** The SAM transform, when the template declares it: a plain template out (the transform may answer now or later). */
export async function applyServerless(doc: Document, ctx: Parameters<typeof expandServerless>[1]): Promise<Document> {
  if (!doc.transforms.includes(SERVERLESS_TRANSFORM)) return doc;
  let expanded: Record<string, unknown>;
  try {
    expanded = await expandServerless(doc.template, ctx);
  } catch (err) {
    // As CloudFormation reports a transform's refusal.
    if (err instanceof SamTransformError) throw CloudFormationErrors.validation(`Transform ${SERVERLESS_TRANSFORM} failed with: ${err.message}`);
    throw err;
  }
  const rest = doc.transforms.filter((t) => t !== SERVERLESS_TRANSFORM);
  const { Transform: _t, ...plain } = expanded;
  const template = rest.length > 0 ? { ...plain, Transform: rest } : plain;
  return { ...doc, template, transforms: rest };
}
