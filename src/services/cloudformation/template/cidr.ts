/** Fn::Cidr: `count` IPv4 blocks of `cidrBits` host bits each, carved from the start of `block`. */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';

export function cidr(block: string, count: number, cidrBits: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!m) throw CloudFormationErrors.validation(`Template error: Fn::Cidr ipBlock ${block} is not an IPv4 CIDR block`);
  const [a, b, c, d, prefix] = m.slice(1).map(Number) as [number, number, number, number, number];
  const base = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const newPrefix = 32 - cidrBits;
  if (!Number.isInteger(count) || count < 1 || count > 256 || cidrBits < 0 || newPrefix < prefix || Math.pow(2, newPrefix - prefix) < count) {
    throw CloudFormationErrors.validation(`Template error: Fn::Cidr cannot make ${count} blocks of ${cidrBits} bits from ${block}`);
  }
  const size = Math.pow(2, cidrBits);
  const start = base - (base % Math.pow(2, 32 - prefix));
  return Array.from({ length: count }, (_, i) => {
    const n = start + i * size;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${newPrefix}`;
  });
}
