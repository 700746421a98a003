/**
 * CloudFormation YAML, for the engine and the SAM transform alike: YAML 1.2 plus the short forms of
 * intrinsic functions, each turned into its long JSON form (`!Ref X` is `{ Ref: X }`, `!GetAtt A.B`
 * is `{ 'Fn::GetAtt': ['A', 'B'] }`, `!Sub ...` is `{ 'Fn::Sub': ... }`).
 */
import { parse as parseYaml, type ScalarTag, type CollectionTag } from 'yaml';

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'Equals', 'And', 'Or', 'Not', 'Length', 'ToJsonString'];

/** One tag in each of its node kinds (a scalar, a sequence, a mapping), all meaning the same function. */
function tagsFor(tag: string, build: (value: unknown) => unknown): (ScalarTag | CollectionTag)[] {
  const resolve = (v: unknown) => build(toJs(v));
  return [
    { tag: `!${tag}`, resolve: (s: string) => build(s) } as ScalarTag,
    { tag: `!${tag}`, collection: 'seq', resolve: resolve } as unknown as CollectionTag,
    { tag: `!${tag}`, collection: 'map', resolve: resolve } as unknown as CollectionTag,
  ];
}

/** Collections reach a custom tag as YAML nodes; their plain values are what the template means. */
function toJs(v: unknown): unknown {
  if (v && typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  return v;
}

/** `!GetAtt A.B.C` names resource A and attribute B.C: split at the first dot only. */
const getAtt = (v: unknown): unknown => {
  if (typeof v === 'string') {
    const dot = v.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
  }
  return { 'Fn::GetAtt': v };
};

const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = [
  ...tagsFor('Ref', (v) => ({ Ref: v })),
  ...tagsFor('Condition', (v) => ({ Condition: v })),
  ...tagsFor('GetAtt', getAtt),
  ...FUNCTIONS.flatMap((f) => tagsFor(f, (v) => ({ [`Fn::${f}`]: v }))),
];

/** Parses CloudFormation YAML; throws the YAML library's error on text that is not well-formed. */
export function loadCfnYaml(text: string): unknown {
  return parseYaml(text, { customTags: CUSTOM_TAGS, uniqueKeys: true, maxAliasCount: 1000 });
}
