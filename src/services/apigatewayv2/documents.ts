/**
 * One kind of an API's resources over its document repo: keys `<apiId>/<id>`, AWS's NotFound for a
 * missing one, and updates by compare-and-set, retried when another writer got there first.
 */
import type { DocumentRepo } from '../../storage/secrets-repo.js';
import { ApiGatewayV2Errors } from '../../wire/errors.js';

const PAGE = 500;

export class ApiDocuments<T> {
  constructor(
    private readonly repo: DocumentRepo<T>,
    /** AWS's word for the resource in `Invalid <what> identifier specified`. */
    private readonly what: string,
    /** The id a document is stored under. */
    private readonly idOf: (value: T) => string,
  ) {}

  private key = (apiId: string, id: string) => `${apiId}/${id}`;

  async find(apiId: string, id: string): Promise<T | undefined> {
    return (await this.repo.get(this.key(apiId, id)))?.value;
  }

  async get(apiId: string, id: string): Promise<T> {
    const found = await this.find(apiId, id);
    if (found === undefined) throw ApiGatewayV2Errors.invalidIdentifier(this.what, id);
    return found;
  }

  async list(apiId: string): Promise<T[]> {
    const out: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.list(`${apiId}/`, after, PAGE);
      out.push(...page.map((p) => p.value));
      if (page.length < PAGE) return out;
      after = this.key(apiId, this.idOf(page.at(-1)!.value));
    }
  }

  /** False when the id is taken. */
  create(apiId: string, id: string, value: T): Promise<boolean> {
    return this.repo.create(this.key(apiId, id), value);
  }

  async update(apiId: string, id: string, change: (current: T) => T): Promise<T> {
    for (;;) {
      const current = await this.repo.get(this.key(apiId, id));
      if (!current) throw ApiGatewayV2Errors.invalidIdentifier(this.what, id);
      const next = change(current.value);
      if (await this.repo.update(this.key(apiId, id), next, current.revision)) return next;
    }
  }

  async delete(apiId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(this.key(apiId, id)))) throw ApiGatewayV2Errors.invalidIdentifier(this.what, id);
  }

  async deleteAll(apiId: string): Promise<void> {
    for (const v of await this.list(apiId)) await this.repo.delete(this.key(apiId, this.idOf(v)));
  }
}
