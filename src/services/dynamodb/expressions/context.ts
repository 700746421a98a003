/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all its expressions:
 * it resolves `#name` and `:value` tokens and remembers which were used, because DynamoDB refuses a
 * request that defines one no expression uses.
 */
import { DynamoDbErrors } from '../../../wire/errors.js';
import { checkValue, type Value } from '../values.js';

export class ExpressionContext {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();
  private readonly checked = new Map<string, Value>();

  constructor(
    private readonly names: Readonly<Record<string, string>> | undefined,
    private readonly values: Readonly<Record<string, unknown>> | undefined,
  ) {
    if (names && Object.keys(names).length === 0) throw DynamoDbErrors.validation('ExpressionAttributeNames must not be empty');
    if (values && Object.keys(values).length === 0) throw DynamoDbErrors.validation('ExpressionAttributeValues must not be empty');
  }

  name(token: string, label: string): string {
    const name = this.names?.[token];
    if (name === undefined) throw DynamoDbErrors.validation(`Invalid ${label}: An expression attribute name used in the document path is not defined; attribute name: ${token}`);
    this.usedNames.add(token);
    return name;
  }

  value(token: string, label: string): Value {
    const raw = this.values?.[token];
    if (raw === undefined) throw DynamoDbErrors.validation(`Invalid ${label}: An expression attribute value used in expression is not defined; attribute value: ${token}`);
    this.usedValues.add(token);
    let v = this.checked.get(token);
    if (!v) this.checked.set(token, (v = checkValue(raw)));
    return v;
  }

  /** Call once every expression of the request is parsed. */
  assertAllUsed(): void {
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length > 0) throw DynamoDbErrors.validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length > 0) throw DynamoDbErrors.validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  }
}
