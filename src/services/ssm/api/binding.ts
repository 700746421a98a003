/** SSM Parameter Store (json 1.1, `AmazonSSM.*`). Parse, call the parameter service, render. */
import { checkFilters, type ParameterFilter } from '../parameter-filters.js';
import { checkPath } from '../names.js';
import type { ParameterService } from '../parameter-service.js';
import { SsmErrors } from '../../../wire/errors.js';
import { ssmServiceModel } from '../../../wire/model.js';
import { typedHandlers, type ServiceBinding } from '../../../api/service.js';
import { historyOut, metadataOut, page, parameterOut } from './render.js';
import { ssmTagHandlers } from './tags.js';
import type { SsmInputs } from '../../../wire/inputs/ssm.js';

type FilterWire = { Key: string; Option?: string; Values?: string[] };

const filtersIn = (f: FilterWire[] | undefined): ParameterFilter[] => (f ?? []).map((x) => ({ key: x.Key, ...(x.Option !== undefined ? { option: x.Option } : {}), values: x.Values ?? [] }));

export function ssmBinding(parameters: ParameterService, accountId: string): ServiceBinding {
  return {
    models: [ssmServiceModel],
    handlers: typedHandlers<SsmInputs>({
      ...ssmTagHandlers(parameters),
      async PutParameter(i, ctx) {
        if (i.KeyId !== undefined && i.Type !== 'SecureString') throw SsmErrors.validation('KeyId is required for SecureString type parameter only.');
        const version = await parameters.put({
          name: i.Name,
          value: i.Value,
          overwrite: i.Overwrite ?? false,
          tags: (i.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value })),
          // As GetCallerIdentity names a caller (see security/identities.ts).
          modifiedBy: `arn:aws:iam::${accountId}:user/${ctx.principal.accessKeyId ?? 'anonymous'}`,
          ...(i.Type !== undefined ? { type: i.Type } : {}),
          ...(i.KeyId !== undefined ? { keyId: i.KeyId } : {}),
          ...(i.Description !== undefined ? { description: i.Description } : {}),
          ...(i.AllowedPattern !== undefined ? { allowedPattern: i.AllowedPattern } : {}),
          ...(i.Tier !== undefined ? { tier: i.Tier } : {}),
          ...(i.DataType !== undefined ? { dataType: i.DataType } : {}),
        });
        return { Version: version.version, Tier: version.tier };
      },

      async GetParameter(i) {
        const p = await parameters.get(i.Name, i.WithDecryption ?? false);
        return { Parameter: parameterOut(p, parameters.arn(p.record.name)) };
      },

      async GetParameters(i) {
        const { found, invalid } = await parameters.getMany(i.Names, i.WithDecryption ?? false);
        return { Parameters: found.map((p) => parameterOut(p, parameters.arn(p.record.name))), InvalidParameters: invalid };
      },

      async GetParametersByPath(i) {
        checkPath(i.Path);
        const filters = filtersIn(i.ParameterFilters);
        checkFilters(filters, ['Type', 'KeyId', 'Label', 'tag']);
        const all = await parameters.byPath(i.Path, i.Recursive ?? false, filters, i.WithDecryption ?? false);
        const { items, ...next } = page(all, i.NextToken, i.MaxResults ?? 10);
        return { Parameters: items.map((p) => parameterOut(p, parameters.arn(p.record.name))), ...next };
      },

      async GetParameterHistory(i) {
        const { items, ...next } = page(await parameters.history(i.Name, i.WithDecryption ?? false), i.NextToken, i.MaxResults ?? 50);
        return { Parameters: items.map(historyOut), ...next };
      },

      async LabelParameterVersion(i) {
        const { version, invalid } = await parameters.label(i.Name, i.ParameterVersion, i.Labels);
        return { InvalidLabels: invalid, ParameterVersion: version };
      },

      async UnlabelParameterVersion(i) {
        const { removed, invalid } = await parameters.unlabel(i.Name, i.ParameterVersion, i.Labels);
        return { RemovedLabels: removed, InvalidLabels: invalid };
      },

      async DeleteParameter(input) {
        await parameters.delete(input.Name);
        return {};
      },

      async DeleteParameters(input) {
        const { deleted, invalid } = await parameters.deleteMany(input.Names);
        return { DeletedParameters: deleted, InvalidParameters: invalid };
      },

      async DescribeParameters(i) {
        if (i.Filters !== undefined && i.ParameterFilters !== undefined) throw SsmErrors.validation('You can use either Filters or ParameterFilters in a single request.');
        const filters = filtersIn(i.Filters ?? i.ParameterFilters);
        checkFilters(filters);
        const { items, ...next } = page(await parameters.describe(filters), i.NextToken, i.MaxResults ?? 50);
        return { Parameters: items.map((r) => metadataOut(r, parameters.arn(r.name))), ...next };
      },
    }),
  };
}
