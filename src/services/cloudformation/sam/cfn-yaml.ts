/**
 * CloudFormation YAML: YAML 1.2 plus the short forms of intrinsic functions (`!Ref X`, `!GetAtt A.B`,
 * `!Sub ...`), each turned into its long JSON form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';

const FN_TAGS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length', 'ForEach',
]);

export function loadCfnYaml(source: string): unknown {
  // Unknown tags are kept on the nodes (with a warning we do not need); we read them ourselves.
  const doc = parseDocument(source, { uniqueKeys: true, strict: false, logLevel: 'error' });
  if (doc.errors.length > 0) throw doc.errors[0];
  return toJs(doc.contents as Node | null, doc);
}

function toJs(node: Node | null | undefined, doc: Document): unknown {
  if (node == null) return null;
  if (isAlias(node)) return toJs(node.resolve(doc) as Node, doc);
  const plain = isScalar(node)
    ? node.value
    : isMap(node)
      ? Object.fromEntries(
          node.items.map((pair) => {
            if (!isPair(pair)) throw new Error('malformed YAML mapping');
            const key = isScalar(pair.key) ? String(pair.key.value) : String(toJs(pair.key as Node, doc));
            return [key, toJs(pair.value as Node, doc)];
          }),
        )
      : isSeq(node)
        ? node.items.map((item) => toJs(item as Node, doc))
        : null;
  return applyTag(node.tag, plain);
}

function applyTag(tag: string | undefined, value: unknown): unknown {
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    // `!GetAtt A.B.C` names resource A and attribute B.C: split at the first dot only.
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (FN_TAGS.has(name)) return { [`Fn::${name}`]: value };
  throw new Error(`unknown CloudFormation YAML tag ${tag}`);
}
