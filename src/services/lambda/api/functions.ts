/** CreateFunction, GetFunction(Configuration), ListFunctions, UpdateFunctionCode/Configuration, DeleteFunction. */
import type { CodeLinks } from '../../../code/code-links.js';
import { LATEST, type FunctionConfig } from '../../../domain/function.js';
import { DEFAULT_MEMORY_MB } from '../../../domain/managed-instances.js';
import type { CapacityProviderService } from '../../../functions/capacity-provider-service.js';
import { concurrencyAfter, managedInstancesFrom } from './capacity-provider-config.js';
import { classifyQualifier } from '../../../domain/qualifier.js';
import type { ConfigChanges, FunctionService } from '../../../functions/function-service.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import {
  renderFunctionConfiguration,
  versionView,
} from '../../../wire/lambda-shapes.js';
import type { AliasService } from '../../../functions/alias-service.js';
import type { LayerService } from '../../../functions/layer-service.js';
import type { VersionService } from '../../../functions/version-service.js';
import { checkDeadLetterTarget } from '../../../async/destinations.js';
import { loggingFrom } from './logging-config.js';
import type { CodeFromBucket } from '../../s3/code-source.js';
import { zipOf } from './code-location.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { isProvidedLayer } from '../../../functions/provided-layers.js';
import type { DeadLetterConfig, FileSystemConfig, LambdaInputs } from '../../../wire/inputs/lambda.js';

export function functionHandlers(
  functions: FunctionService,
  versions: VersionService,
  aliases: AliasService,
  layers: LayerService,
  account: Account,
  /** Where GetFunction's `Code.Location` lets a client download the package. */
  codeLinks: CodeLinks,
  /** Capacity providers, which functions with CapacityProviderConfig are placed on. */
  providers: CapacityProviderService,
  /** Code from S3 (`S3Bucket`/`S3Key`), when the platform serves S3. */
  fromBucket?: CodeFromBucket,
): Record<string, OperationHandler> {
  /** Each layer with its size; a layer the platform provides itself has no package here (size 0). */
  /** The caller's account must be granted each layer that is not its own. */
  const layersOf = async (arns: string[], caller: string | undefined) => {
    const stored = (await layers.resolve(arns, caller)).values(); // in the order of the arns that are not provided
    return arns.map((arn) => ({ arn, codeSize: isProvidedLayer(arn) ? 0 : stored.next().value!.code.size }));
  };
  /** Changes apply to $LATEST: a qualified name is refused. */
  const latestName = (raw: string): string => {
    const ref = parseFunctionRef(account, raw);
    if (classifyQualifier(ref.qualifier).kind !== 'latest') {
      throw Errors.invalidParameter('Only $LATEST can be updated: versions are immutable, and aliases are changed with UpdateAlias.');
    }
    return ref.name;
  };
  const deadLetterTarget = (d: DeadLetterConfig | undefined): string | undefined => {
    if (!d?.TargetArn) return undefined;
    checkDeadLetterTarget(d.TargetArn, account);
    return d.TargetArn;
  };
  const render = (fn: Parameters<typeof renderFunctionConfiguration>[0]) => renderFunctionConfiguration(fn, functions.arn(fn.name));
  /**
   * `Publish: true`: the change completes, then a version is published and returned, as Lambda does;
   * `PublishTo: LATEST_PUBLISHED` republishes `$LATEST.PUBLISHED` instead of numbering a version.
   */
  const publishNow = async (name: string, publishTo: string | undefined) => {
    await functions.settleNow(name);
    const v = await versions.publish(name, { toLatestPublished: publishTo === 'LATEST_PUBLISHED' });
    return renderFunctionConfiguration(versionView(await functions.get(name), v), functions.arn(name, v.version), v.version);
  };
  /** The configuration a (possibly qualified) name points at: $LATEST, a version, or an alias's version. */
  const configurationOf = async (raw: string, qualifier?: string) => {
    const ref = withQualifier(parseFunctionRef(account, raw), qualifier);
    const fn = await functions.get(ref.name);
    const q = classifyQualifier(ref.qualifier);
    const latest = () => ({ fn, configuration: renderFunctionConfiguration(fn, functions.arn(fn.name, ref.qualifier), LATEST) });
    if (q.kind === 'latest') return latest();
    const version =
      q.kind === 'version'
        ? q.version
        : (
            await aliases.get(ref.name, q.alias).catch(() => {
              throw Errors.functionNotFound(functions.arn(ref.name, q.alias));
            })
          ).functionVersion;
    if (version === LATEST) return latest();
    const v = await versions.get(ref.name, version);
    return { fn, configuration: renderFunctionConfiguration(versionView(fn, v), functions.arn(fn.name, version), version) };
  };

  return typedHandlers<LambdaInputs>({
    async CreateFunction(i, ctx) {
      const name = parseFunctionRef(account, i.FunctionName).name;
      if (i.PackageType === 'Image' || i.Code.ImageUri) throw Errors.invalidParameter('Container image functions are not supported; use PackageType Zip.');
      if (!i.Runtime) throw Errors.invalidParameter('Runtime is required for a function of package type Zip.');
      if (!i.Handler) throw Errors.invalidParameter('Handler is required for a function of package type Zip.');
      const arch = i.Architectures?.[0] ?? 'x86_64';
      // A function on a capacity provider gets Lambda Managed Instances' smallest environment by default.
      const memoryMb = i.MemorySize ?? (i.CapacityProviderConfig ? DEFAULT_MEMORY_MB : 128);
      const config: FunctionConfig = {
        runtime: i.Runtime,
        handler: i.Handler,
        role: i.Role,
        description: i.Description ?? '',
        timeoutSeconds: i.Timeout ?? 3,
        memoryMb,
        ephemeralStorageMb: i.EphemeralStorage?.Size ?? 512,
        environment: i.Environment?.Variables ?? {},
        architecture: arch === 'arm64' ? 'arm64' : 'x86_64',
        layers: await layersOf(i.Layers ?? [], ctx.principal.accountId),
        logging: loggingFrom(i.LoggingConfig ?? {}, name),
        tracing: i.TracingConfig?.Mode ?? 'PassThrough',
        fileSystems: fileSystemsFrom(i.FileSystemConfigs ?? []),
      };
      const deadLetter = deadLetterTarget(i.DeadLetterConfig);
      if (deadLetter) config.deadLetterTargetArn = deadLetter;
      if (i.TenancyConfig) config.tenantIsolation = i.TenancyConfig.TenantIsolationMode;
      if (i.CapacityProviderConfig) {
        config.managedInstances = managedInstancesFrom(i.CapacityProviderConfig, config);
        config.logging = jsonLogging(config.logging);
      }
      await providers.checkPlacement(config);
      const zip = await zipOf(i.Code, fromBucket, 'Code');
      await layers.checkUnzippedTotal(zip, i.Layers ?? []);
      const fn = await functions.create({ name, zip, config, tags: i.Tags ?? {} });
      return i.Publish || i.PublishTo ? publishNow(name, i.PublishTo) : render(fn);
    },

    async GetFunction(i) {
      const { fn, configuration } = await configurationOf(i.FunctionName, i.Qualifier);
      return {
        Configuration: configuration,
        Code: { RepositoryType: 'S3', Location: codeLinks.url(fn.code.sha256) },
        Tags: Object.keys(fn.tags).length > 0 ? fn.tags : undefined,
        Concurrency: fn.reservedConcurrency !== null ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : undefined,
      };
    },

    async GetFunctionConfiguration(i) {
      return (await configurationOf(i.FunctionName, i.Qualifier)).configuration;
    },

    async ListFunctions(i) {
      const page = await functions.list(i.Marker, Math.min(i.MaxItems ?? 50, 50));
      if (i.FunctionVersion !== 'ALL') return { Functions: page.functions.map(render), NextMarker: page.nextMarker };
      // FunctionVersion=ALL: each function's $LATEST followed by its published versions.
      const all: Record<string, unknown>[] = [];
      for (const fn of page.functions) {
        all.push(render(fn));
        let marker: string | undefined = LATEST;
        do {
          const versionsPage = await versions.list(fn.name, marker, 50);
          for (const v of versionsPage.items) if (v !== LATEST) all.push(renderFunctionConfiguration(versionView(fn, v), functions.arn(fn.name, v.version), v.version));
          marker = versionsPage.nextMarker;
        } while (marker);
      }
      return { Functions: all, NextMarker: page.nextMarker };
    },

    async UpdateFunctionCode(i) {
      const name = latestName(i.FunctionName);
      if (i.ImageUri) throw Errors.invalidParameter('Container image functions are not supported.');
      const zip = await zipOf(i, fromBucket, 'UpdateFunctionCode');
      const current = await functions.get(name);
      await layers.checkUnzippedTotal(zip, current.config.layers.map((l) => l.arn));
      if (i.DryRun) return render(current);
      const updated = await functions.updateCode(name, zip, i.RevisionId);
      return i.Publish || i.PublishTo ? publishNow(name, i.PublishTo) : render(updated);
    },

    async UpdateFunctionConfiguration(i, ctx) {
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
      if (i.Layers !== undefined) {
        changes.layers = await layersOf(i.Layers, ctx.principal.accountId);
        await layers.checkUnzippedTotal((await functions.get(name)).code.sha256, i.Layers);
      }
      // An empty TargetArn removes the dead-letter queue, as on Lambda.
      if (i.DeadLetterConfig !== undefined) changes.deadLetterTargetArn = deadLetterTarget(i.DeadLetterConfig);
      if (i.FileSystemConfigs !== undefined) changes.fileSystems = fileSystemsFrom(i.FileSystemConfigs);
      if (i.TracingConfig !== undefined) changes.tracing = i.TracingConfig.Mode ?? 'PassThrough';
      if (i.LoggingConfig !== undefined) changes.logging = loggingFrom(i.LoggingConfig, name, (await functions.get(name)).config.logging);
      const current = (await functions.get(name)).config;
      const sized = { runtime: changes.runtime ?? current.runtime, memoryMb: changes.memoryMb ?? current.memoryMb };
      if (i.CapacityProviderConfig !== undefined) {
        changes.managedInstances = managedInstancesFrom(i.CapacityProviderConfig, sized);
        await providers.checkPlacement({ ...current, ...changes });
      } else if (current.managedInstances && (i.MemorySize !== undefined || i.Runtime !== undefined)) {
        changes.managedInstances = concurrencyAfter(current, sized);
      }
      if (changes.managedInstances ?? current.managedInstances) changes.logging = jsonLogging(changes.logging ?? current.logging);
      return render(await functions.updateConfig(name, changes, i.RevisionId));
    },

    async DeleteFunction(i) {
      const ref = withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier);
      if (ref.qualifier !== undefined) {
        const q = classifyQualifier(ref.qualifier);
        if (q.kind === 'latest') throw Errors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
        if (q.kind === 'alias') throw Errors.invalidParameter('Deletion of aliases is not supported through DeleteFunction: use DeleteAlias.');
        await versions.delete(ref.name, ref.qualifier);
        return { StatusCode: 204 };
      }
      await functions.delete(ref.name);
      await versions.deleteAllOf(ref.name);
      return { StatusCode: 204 };
    },
  });
}

/** The model has checked each ARN and path and that there is at most one. */
const fileSystemsFrom = (configs: FileSystemConfig[]): FunctionConfig['fileSystems'] => configs.map((c) => ({ arn: c.Arn, localMountPath: c.LocalMountPath }));

/**
 * Functions on Lambda Managed Instances log in JSON, whatever LogFormat says: concurrent invocations'
 * lines are told apart by the request id each record carries.
 */
const jsonLogging = (logging: FunctionConfig['logging']): FunctionConfig['logging'] => ({ ...logging, format: 'JSON' });
