/**
 * FileSystemConfigs as environments see them: the operator maps each EFS access point ARN to a host
 * folder (`selfless serve --file-system ARN=DIR`), and an environment sees that folder read-write at
 * the function's LocalMountPath. A sandbox binds it there; plain processes see host paths, so there
 * LocalMountPath must already be that folder on the host (a symlink will do), or the mount fails.
 */
import { realpathSync, statSync } from 'node:fs';
import { Errors } from '../wire/errors.js';
import type { FileSystemConfig } from '../domain/function.js';

export interface FileSystemMount {
  host: string;
  target: string;
  writable: true;
}

export class FileSystemMounts {
  private readonly byArn: ReadonlyMap<string, string>;

  constructor(
    mappings: readonly { arn: string; hostDir: string }[],
    private readonly sandboxed: boolean,
  ) {
    this.byArn = new Map(mappings.map((m) => [m.arn, m.hostDir]));
  }

  /** The binds an environment of a function needs; EFSMountFailureException when one cannot be provided. */
  mountsFor(configs: readonly FileSystemConfig[]): FileSystemMount[] {
    return configs.map((c) => {
      const hostDir = this.byArn.get(c.arn);
      if (hostDir === undefined) {
        throw Errors.efsMountFailure(
          `The function could not mount the file system ${c.arn} at ${c.localMountPath}: this server maps no folder to that access point (start it with --file-system ${c.arn}=DIR).`,
        );
      }
      if (!isDirectory(hostDir)) {
        throw Errors.efsMountFailure(`The function could not mount the file system ${c.arn}: its folder ${hostDir} does not exist on this server.`);
      }
      if (!this.sandboxed && realOrUndefined(c.localMountPath) !== realOrUndefined(hostDir)) {
        throw Errors.efsMountFailure(
          `The function could not mount the file system ${c.arn} at ${c.localMountPath}: without the bubblewrap sandbox, environments see host paths, and ${c.localMountPath} is not ${hostDir} on this host (install bubblewrap, or make ${c.localMountPath} a link to ${hostDir}).`,
        );
      }
      return { host: hostDir, target: c.localMountPath, writable: true };
    });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
