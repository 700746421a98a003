/**
 * Function URL configs (Create/Get/Update/Delete/ListFunctionUrlConfig(s)). The URL itself is
 * served by the function URL front door (src/services/function-urls/url-door.ts).
 */
import { randomBytes } from 'node:crypto';
import { classifyQualifier } from '../../../domain/qualifier.js';
import { formatLastModified, urlOf, type FunctionRecord, type FunctionUrl } from '../../../domain/function.js';
import type { AliasService } from '../../../functions/alias-service.js';
import type { FunctionService } from '../../../functions/function-service.js';
import type { Clock } from '../../../lib/clock.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

type UrlWire = {
  FunctionName: string;
  Qualifier?: string;
  AuthType?: 'NONE' | 'AWS_IAM';
  Cors?: Record<string, unknown>;
  InvokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

export function functionUrlHandlers(
  functions: FunctionService,
  aliases: AliasService,
  account: Account,
  clock: Clock,
  /** The URL handed out for a URL id (host-based or path-based, see src/api/public-url.ts). */
  functionUrlOf: (id: string) => string,
): Record<string, OperationHandler> {
  /** The unqualified function, or an alias (which must exist): the model's pattern already refuses versions. */
  const targetOf = async (i: UrlWire): Promise<{ name: string; alias?: string }> => {
    const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
    if (ref.qualifier === undefined) return { name: ref.name };
    if (classifyQualifier(ref.qualifier).kind !== 'alias') {
      throw Errors.invalidParameter('A function URL can be created for the function or one of its aliases only, not for a version.');
    }
    await aliases.get(ref.name, ref.qualifier);
    return { name: ref.name, alias: ref.qualifier };
  };
  const render = (fn: FunctionRecord, alias: string | undefined) => {
    const u = urlOf(fn, alias)!;
    return {
      FunctionUrl: functionUrlOf(u.id),
      FunctionArn: functions.arn(fn.name, alias),
      AuthType: u.authType,
      Cors: u.cors,
      CreationTime: u.createdAt,
      LastModifiedTime: u.modifiedAt,
      InvokeMode: u.invokeMode,
    };
  };
  const existing = async (t: { name: string; alias?: string }) => {
    const fn = await functions.get(t.name);
    if (!urlOf(fn, t.alias)) throw Errors.resourceNotFound('The resource you requested does not exist.');
    return fn;
  };
  return typedHandlers<LambdaInputs>({
    async CreateFunctionUrlConfig(i) {
      const t = await targetOf(i);
      const fn = await functions.get(t.name);
      if (urlOf(fn, t.alias)) {
        throw Errors.resourceConflict(
          `Failed to create function url config for [functionArn = ${functions.arn(t.name, t.alias)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
        );
      }
      const now = formatLastModified(clock.now());
      const url: FunctionUrl = {
        id: randomBytes(16).toString('hex'),
        authType: i.AuthType ?? 'NONE',
        invokeMode: i.InvokeMode ?? 'BUFFERED',
        ...(i.Cors ? { cors: i.Cors } : {}),
        createdAt: now,
        modifiedAt: now,
      };
      const { LastModifiedTime: _m, ...created } = render(await functions.setUrl(t.name, t.alias, url), t.alias);
      return created;
    },
    async GetFunctionUrlConfig(input) {
      const t = await targetOf(input);
      return render(await existing(t), t.alias);
    },
    async UpdateFunctionUrlConfig(i) {
      const t = await targetOf(i);
      const url = { ...urlOf(await existing(t), t.alias)!, modifiedAt: formatLastModified(clock.now()) };
      if (i.AuthType) url.authType = i.AuthType;
      if (i.InvokeMode) url.invokeMode = i.InvokeMode;
      if (i.Cors) url.cors = i.Cors;
      return render(await functions.setUrl(t.name, t.alias, url), t.alias);
    },
    async DeleteFunctionUrlConfig(input) {
      const t = await targetOf(input);
      await existing(t);
      await functions.setUrl(t.name, t.alias, undefined);
      return {};
    },
    async ListFunctionUrlConfigs(input) {
      const fn = await functions.get(parseFunctionRef(account, input.FunctionName).name);
      const qualifiers = [...(fn.url ? [undefined] : []), ...Object.keys(fn.aliasUrls).sort()];
      return { FunctionUrlConfigs: qualifiers.map((alias) => render(fn, alias)) };
    },
  });
}
