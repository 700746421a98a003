/** Template text to a document: JSON, or CloudFormation YAML (see yaml.ts). */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { loadCfnYaml } from './yaml.js';

export type Template = Record<string, unknown>;

export function parseTemplate(body: string): Template {
  const text = body.trim();
  let doc: unknown;
  if (text.startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw CloudFormationErrors.validation(`Template format error: JSON not well-formed. (${(err as Error).message})`);
    }
  } else {
    try {
      doc = loadCfnYaml(text);
    } catch (err) {
      throw CloudFormationErrors.validation(`Template format error: YAML not well-formed. (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw CloudFormationErrors.validation('Template format error: unsupported structure.');
  return doc as Template;
}
