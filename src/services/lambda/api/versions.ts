/** PublishVersion, ListVersionsByFunction and the alias operations. */
import { LATEST } from '../../../domain/function.js';
import type { AliasService } from '../../../functions/alias-service.js';
import type { FunctionService } from '../../../functions/function-service.js';
import type { VersionService } from '../../../functions/version-service.js';
import { parseFunctionRef, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import {
  renderAlias,
  renderFunctionConfiguration,
  versionView,
} from '../../../wire/lambda-shapes.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

export function versionHandlers(functions: FunctionService, versions: VersionService, aliases: AliasService, account: Account): Record<string, OperationHandler> {
  /** These operations name the function without a qualifier. */
  const nameOf = (raw: string): string => {
    const ref = parseFunctionRef(account, raw);
    if (ref.qualifier !== undefined) throw Errors.invalidParameter(`Unsupported qualifier in function name: ${ref.qualifier}`);
    return ref.name;
  };
  const alias = (fn: string, a: Parameters<typeof renderAlias>[0]) => renderAlias(a, aliases.arn(fn, a.name));

  return typedHandlers<LambdaInputs>({
    async PublishVersion(i) {
      const name = nameOf(i.FunctionName);
      const v = await versions.publish(name, {
        ...(i.CodeSha256 !== undefined ? { codeSha256: i.CodeSha256 } : {}),
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.RevisionId !== undefined ? { revisionId: i.RevisionId } : {}),
        toLatestPublished: i.PublishTo === 'LATEST_PUBLISHED',
      });
      const fn = await functions.get(name);
      return renderFunctionConfiguration(versionView(fn, v), functions.arn(name, v.version), v.version);
    },

    async ListVersionsByFunction(i) {
      const name = nameOf(i.FunctionName);
      const fn = await functions.get(name);
      const page = await versions.list(name, i.Marker, Math.min(i.MaxItems ?? 50, 50));
      return {
        Versions: page.items.map((v) =>
          v === LATEST
            ? renderFunctionConfiguration(fn, functions.arn(name, LATEST), LATEST)
            : renderFunctionConfiguration(versionView(fn, v), functions.arn(name, v.version), v.version),
        ),
        NextMarker: page.nextMarker,
      };
    },

    async CreateAlias(i) {
      const fn = nameOf(i.FunctionName);
      const a = await aliases.create(fn, i.Name, {
        functionVersion: i.FunctionVersion,
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.RoutingConfig?.AdditionalVersionWeights ? { additionalVersionWeights: i.RoutingConfig.AdditionalVersionWeights } : {}),
      });
      return alias(fn, a);
    },

    async GetAlias(i) {
      const fn = nameOf(i.FunctionName);
      return alias(fn, await aliases.get(fn, i.Name));
    },

    async UpdateAlias(i) {
      const fn = nameOf(i.FunctionName);
      const a = await aliases.update(fn, i.Name, {
        ...(i.FunctionVersion !== undefined ? { functionVersion: i.FunctionVersion } : {}),
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.RoutingConfig !== undefined ? { additionalVersionWeights: i.RoutingConfig.AdditionalVersionWeights ?? {} } : {}),
        ...(i.RevisionId !== undefined ? { revisionId: i.RevisionId } : {}),
      });
      return alias(fn, a);
    },

    async DeleteAlias(i) {
      await aliases.delete(nameOf(i.FunctionName), i.Name);
      return {};
    },

    async ListAliases(i) {
      const fn = nameOf(i.FunctionName);
      const all = await aliases.list(fn, i.FunctionVersion);
      const start = i.Marker === undefined ? 0 : all.findIndex((a) => a.name === i.Marker) + 1;
      const max = Math.min(i.MaxItems ?? 50, 50);
      const page = all.slice(start, start + max);
      return {
        Aliases: page.map((a) => alias(fn, a)),
        NextMarker: start + max < all.length ? page[page.length - 1]!.name : undefined,
      };
    },
  });
}
