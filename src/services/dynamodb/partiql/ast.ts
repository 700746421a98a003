/** What a PartiQL statement parses to: its kind, table and clauses as DynamoDB expressions, with their placeholders. */
import { DynamoDbErrors } from '../../../wire/errors.js';

export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export interface Where {
  /** The whole WHERE clause as a condition expression. */
  text: string;
  /** `attribute = value` terms the clause requires (ANDed at its top): name → placeholders and value. */
  equalities: Map<string, Equality>;
}

export interface Placeholders {
  names: Record<string, string>;
  /** Wire attribute values (parameters as the request sent them). */
  values: Record<string, unknown>;
}

export type Statement = Placeholders &
  (
    | { kind: 'select'; table: string; index: string | undefined; projection: string | undefined; where: Where | undefined; forward: boolean | undefined }
    | { kind: 'insert'; table: string; item: Record<string, unknown> }
    | { kind: 'update'; table: string; update: string; where: Where; returning: Returning | undefined }
    | { kind: 'delete'; table: string; where: Where; returning: 'ALL_OLD' | undefined }
  );

export const parameterMismatch = () => DynamoDbErrors.validation("Number of parameters in request and statement don't match.");

export interface Equality {
  name: string;
  value: string;
  /** The wire attribute value. */
  raw: unknown;
}

export interface Cond {
  text: string;
  equalities: [string, Equality][];
}

export interface Operand {
  text: string;
  /** A top-level attribute named alone. */
  attribute?: string;
  /** A literal or parameter: its wire attribute value. */
  value?: unknown;
}
