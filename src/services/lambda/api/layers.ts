/** PublishLayerVersion, GetLayerVersion(ByArn), ListLayerVersions, ListLayers, DeleteLayerVersion. */
import type { CodeLinks } from '../../../code/code-links.js';
import { sha256Base64 } from '../../../code/code-store.js';
import type { LayerVersionRecord } from '../../../domain/function.js';
import type { LayerService } from '../../../functions/layer-service.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { CodeFromBucket } from '../../s3/code-source.js';
import { zipOf } from './code-location.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

export function layerHandlers(layers: LayerService, codeLinks: CodeLinks, fromBucket?: CodeFromBucket): Record<string, OperationHandler> {
  const listItem = (l: LayerVersionRecord) => ({
    LayerVersionArn: layers.versionArn(l.name, l.version),
    Version: l.version,
    Description: l.description,
    CreatedDate: l.createdDate,
    CompatibleRuntimes: l.compatibleRuntimes.length > 0 ? l.compatibleRuntimes : undefined,
    CompatibleArchitectures: l.compatibleArchitectures.length > 0 ? l.compatibleArchitectures : undefined,
    LicenseInfo: l.licenseInfo,
  });
  const full = (l: LayerVersionRecord) => ({
    ...listItem(l),
    LayerArn: layers.layerArn(l.name),
    Content: { Location: codeLinks.url(l.code.sha256), CodeSha256: sha256Base64(l.code.sha256), CodeSize: l.code.size },
  });
  const permissions = layers.permissions;
  /** A version matches ListLayers' filters when it lists the runtime and architecture asked for. */
  const compatible = (i: { CompatibleRuntime?: string; CompatibleArchitecture?: string }) => (l: LayerVersionRecord) =>
    (i.CompatibleRuntime === undefined || l.compatibleRuntimes.includes(i.CompatibleRuntime)) &&
    (i.CompatibleArchitecture === undefined || l.compatibleArchitectures.includes(i.CompatibleArchitecture));
  const page = <T>(items: T[], marker: string | undefined, max: number | undefined) => {
    const start = marker === undefined ? 0 : Number(marker);
    if (!Number.isInteger(start) || start < 0) throw Errors.invalidParameter('Invalid marker.');
    const n = Math.min(max ?? 50, 50);
    return { items: items.slice(start, start + n), next: start + n < items.length ? String(start + n) : undefined };
  };

  return typedHandlers<LambdaInputs>({
    async PublishLayerVersion(i) {
      const l = await layers.publish(layers.nameOf(i.LayerName), {
        zip: await zipOf(i.Content ?? {}, fromBucket, 'Content'),
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.CompatibleRuntimes ? { compatibleRuntimes: i.CompatibleRuntimes } : {}),
        ...(i.CompatibleArchitectures ? { compatibleArchitectures: i.CompatibleArchitectures } : {}),
        ...(i.LicenseInfo !== undefined ? { licenseInfo: i.LicenseInfo } : {}),
      });
      return full(l);
    },
    async GetLayerVersion(i, ctx) {
      return full(await layers.get(layers.nameOf(i.LayerName), i.VersionNumber!, ctx.principal.accountId));
    },
    async GetLayerVersionByArn(input, ctx) {
      const arn = input.Arn!;
      const m = /:layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
      if (!m) throw Errors.invalidParameter(`Invalid layer version ARN: ${arn}`);
      return full(await layers.get(layers.nameOf(arn.slice(0, arn.lastIndexOf(':'))), Number(m[2]), ctx.principal.accountId));
    },
    async ListLayerVersions(i) {
      const all = (await layers.list(layers.nameOf(i.LayerName))).filter(compatible(i));
      const p = page(all, i.Marker, i.MaxItems);
      return { LayerVersions: p.items.map(listItem), NextMarker: p.next };
    },
    async ListLayers(i) {
      // With a filter, each layer is listed by its newest version that matches, as Lambda lists them.
      const newest = await layers.latest();
      const matching =
        i.CompatibleRuntime === undefined && i.CompatibleArchitecture === undefined
          ? newest
          : (await Promise.all(newest.map(async (l) => (await layers.list(l.name)).find(compatible(i))))).filter((l) => l !== undefined);
      const p = page(matching, i.Marker, i.MaxItems);
      return { Layers: p.items.map((l) => ({ LayerName: l.name, LayerArn: layers.layerArn(l.name), LatestMatchingVersion: listItem(l) })), NextMarker: p.next };
    },
    async AddLayerVersionPermission(i) {
      const added = await permissions.add(
        layers.nameOf(i.LayerName),
        i.VersionNumber,
        { statementId: i.StatementId, action: i.Action, principal: i.Principal, organizationId: i.OrganizationId },
        i.RevisionId,
      );
      return { Statement: JSON.stringify(added.statement), RevisionId: added.revisionId };
    },
    async GetLayerVersionPolicy(i) {
      const got = await permissions.get(layers.nameOf(i.LayerName), i.VersionNumber);
      return { Policy: got.policy, RevisionId: got.revisionId };
    },
    async RemoveLayerVersionPermission(i) {
      await permissions.remove(layers.nameOf(i.LayerName), i.VersionNumber, i.StatementId, i.RevisionId);
      return {};
    },
    async DeleteLayerVersion(i) {
      await layers.delete(layers.nameOf(i.LayerName), i.VersionNumber!);
      return {};
    },
  });
}
