/**
 * Function URL configs (Create/Get/Update/Delete/ListFunctionUrlConfig(s)). The URL itself is
 * served under /lambda-url/<id>/ on this server (see src/api/function-url-server.ts).
 */
import { randomBytes } from 'node:crypto';
import { formatLastModified, type FunctionRecord } from '../../domain/function.js';
import type { FunctionService } from '../../functions/function-service.js';
import type { Clock } from '../../lib/clock.js';
import { parseFunctionRef, withQualifier, type Account } from '../../wire/arn.js';
import { Errors } from '../../wire/errors.js';
import type { OperationHandler } from '../http-server.js';

interface UrlWire {
  FunctionName: string;
  Qualifier?: string;
  AuthType?: 'NONE' | 'AWS_IAM';
  Cors?: Record<string, unknown>;
  InvokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

export const functionUrlOf = (baseUrl: string, id: string): string => `${baseUrl}/lambda-url/${id}/`;

export function functionUrlHandlers(functions: FunctionService, account: Account, clock: Clock, baseUrl: () => string): Record<string, OperationHandler> {
  const nameOf = (i: UrlWire) => {
    const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
    if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') {
      throw Errors.invalidParameter('Selfless serves function URLs for the unqualified function only, for now.');
    }
    return ref.name;
  };
  const render = (fn: FunctionRecord) => {
    const u = fn.url!;
    return {
      FunctionUrl: functionUrlOf(baseUrl(), u.id),
      FunctionArn: functions.arn(fn.name),
      AuthType: u.authType,
      Cors: u.cors,
      CreationTime: u.createdAt,
      LastModifiedTime: u.modifiedAt,
      InvokeMode: u.invokeMode,
    };
  };
  const existing = async (name: string) => {
    const fn = await functions.get(name);
    if (!fn.url) throw Errors.resourceNotFound('The resource you requested does not exist.');
    return fn;
  };
  return {
    async CreateFunctionUrlConfig(input) {
      const i = input as unknown as UrlWire;
      const name = nameOf(i);
      const fn = await functions.get(name);
      if (fn.url) {
        throw Errors.resourceConflict(`Failed to create function url config for [functionArn = ${functions.arn(name)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
      }
      const now = formatLastModified(clock.now());
      const { LastModifiedTime: _m, ...created } = render(
        await functions.setUrl(name, {
          id: randomBytes(16).toString('hex'),
          authType: i.AuthType ?? 'NONE',
          invokeMode: i.InvokeMode ?? 'BUFFERED',
          ...(i.Cors ? { cors: i.Cors } : {}),
          createdAt: now,
          modifiedAt: now,
        }),
      );
      return created;
    },
    async GetFunctionUrlConfig(input) {
      return render(await existing(nameOf(input as unknown as UrlWire)));
    },
    async UpdateFunctionUrlConfig(input) {
      const i = input as unknown as UrlWire;
      const fn = await existing(nameOf(i));
      const url = { ...fn.url!, modifiedAt: formatLastModified(clock.now()) };
      if (i.AuthType) url.authType = i.AuthType;
      if (i.InvokeMode) url.invokeMode = i.InvokeMode;
      if (i.Cors) url.cors = i.Cors;
      return render(await functions.setUrl(fn.name, url));
    },
    async DeleteFunctionUrlConfig(input) {
      const fn = await existing(nameOf(input as unknown as UrlWire));
      await functions.setUrl(fn.name, undefined);
      return {};
    },
    async ListFunctionUrlConfigs(input) {
      const fn = await functions.get(nameOf(input as unknown as UrlWire));
      return { FunctionUrlConfigs: fn.url ? [render(fn)] : [] };
    },
  };
}
