/** CreateFunction, GetFunction(Configuration), ListFunctions, UpdateFunctionCode/Configuration, DeleteFunction. */
import type { FunctionConfig } from '../../domain/function.js';
import type { ConfigChanges, FunctionService } from '../../functions/function-service.js';
import { parseFunctionRef, withQualifier, type Account } from '../../wire/arn.js';
import { Errors } from '../../wire/errors.js';
import {
  renderFunctionConfiguration,
  type CreateFunctionWire,
  type FunctionNameWire,
  type ListFunctionsWire,
  type UpdateFunctionCodeWire,
  type UpdateFunctionConfigurationWire,
} from '../../wire/lambda-shapes.js';
import type { OperationHandler } from '../http-server.js';

export function functionHandlers(functions: FunctionService, account: Account): Record<string, OperationHandler> {
  /** Only $LATEST exists until versions land: another qualifier names nothing. */
  const latestName = (raw: string, qualifier?: string): string => {
    const ref = withQualifier(parseFunctionRef(account, raw), qualifier);
    if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') throw Errors.functionNotFound(functions.arn(ref.name, ref.qualifier));
    return ref.name;
  };
  const render = (fn: Parameters<typeof renderFunctionConfiguration>[0]) => renderFunctionConfiguration(fn, functions.arn(fn.name));

  return {
    async CreateFunction(input) {
      const i = input as unknown as CreateFunctionWire;
      const name = parseFunctionRef(account, i.FunctionName).name;
      if (i.PackageType === 'Image' || i.Code.ImageUri) throw Errors.invalidParameter('Container image functions are not supported; use PackageType Zip.');
      if (!i.Code.ZipFile) throw Errors.invalidParameter('Code.ZipFile is required: Selfless stores code itself (S3 locations are not supported).');
      if (i.Publish) throw Errors.invalidParameter('Publish is not supported yet: versions are not implemented.');
      if (!i.Runtime) throw Errors.invalidParameter('Runtime is required for a function of package type Zip.');
      if (!i.Handler) throw Errors.invalidParameter('Handler is required for a function of package type Zip.');
      const arch = i.Architectures?.[0] ?? 'x86_64';
      const config: FunctionConfig = {
        runtime: i.Runtime,
        handler: i.Handler,
        role: i.Role,
        description: i.Description ?? '',
        timeoutSeconds: i.Timeout ?? 3,
        memoryMb: i.MemorySize ?? 128,
        ephemeralStorageMb: i.EphemeralStorage?.Size ?? 512,
        environment: i.Environment?.Variables ?? {},
        architecture: arch === 'arm64' ? 'arm64' : 'x86_64',
      };
      const fn = await functions.create({ name, zip: i.Code.ZipFile, config, tags: i.Tags ?? {} });
      return render(fn);
    },

    async GetFunction(input) {
      const i = input as unknown as FunctionNameWire;
      const fn = await functions.get(latestName(i.FunctionName, i.Qualifier));
      return {
        Configuration: render(fn),
        Code: { RepositoryType: 'Selfless', Location: `selfless://code/${fn.code.sha256}` },
        Tags: Object.keys(fn.tags).length > 0 ? fn.tags : undefined,
        Concurrency: fn.reservedConcurrency !== null ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : undefined,
      };
    },

    async GetFunctionConfiguration(input) {
      const i = input as unknown as FunctionNameWire;
      return render(await functions.get(latestName(i.FunctionName, i.Qualifier)));
    },

    async ListFunctions(input) {
      const i = input as unknown as ListFunctionsWire;
      const page = await functions.list(i.Marker, Math.min(i.MaxItems ?? 50, 50));
      return { Functions: page.functions.map(render), NextMarker: page.nextMarker };
    },

    async UpdateFunctionCode(input) {
      const i = input as unknown as UpdateFunctionCodeWire;
      const name = latestName(i.FunctionName);
      if (i.ImageUri) throw Errors.invalidParameter('Container image functions are not supported.');
      if (!i.ZipFile) throw Errors.invalidParameter('ZipFile is required: Selfless stores code itself (S3 locations are not supported).');
      if (i.Publish) throw Errors.invalidParameter('Publish is not supported yet: versions are not implemented.');
      if (i.DryRun) return render(await functions.get(name));
      return render(await functions.updateCode(name, i.ZipFile, i.RevisionId));
    },

    async UpdateFunctionConfiguration(input) {
      const i = input as unknown as UpdateFunctionConfigurationWire;
      const name = latestName(i.FunctionName);
      const changes: ConfigChanges = {};
      if (i.Role !== undefined) changes.role = i.Role;
      if (i.Handler !== undefined) changes.handler = i.Handler;
      if (i.Description !== undefined) changes.description = i.Description;
      if (i.Timeout !== undefined) changes.timeoutSeconds = i.Timeout;
      if (i.MemorySize !== undefined) changes.memoryMb = i.MemorySize;
      if (i.Environment !== undefined) changes.environment = i.Environment.Variables ?? {};
      if (i.Runtime !== undefined) changes.runtime = i.Runtime;
      if (i.EphemeralStorage !== undefined) changes.ephemeralStorageMb = i.EphemeralStorage.Size;
      return render(await functions.updateConfig(name, changes, i.RevisionId));
    },

    async DeleteFunction(input) {
      const i = input as unknown as FunctionNameWire;
      const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
      if (ref.qualifier !== undefined) {
        if (ref.qualifier === '$LATEST') throw Errors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
        throw Errors.functionNotFound(functions.arn(ref.name, ref.qualifier));
      }
      await functions.delete(ref.name);
      return { StatusCode: 204 };
    },
  };
}
