/** PutDashboard, GetDashboard, ListDashboards and DeleteDashboards over the store's dashboards. */
import type { Clock } from '../../../lib/clock.js';
import type { DashboardRecord } from '../../../domain/dashboard.js';
import type { DocumentRepo } from '../../../storage/store.js';
import type { Account } from '../../../wire/arn.js';
import { CloudWatchErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { DASHBOARD_NAME, dashboardProblems, problemsMessage } from '../dashboard-body.js';
import type { CloudwatchInputs } from '../../../wire/inputs/cloudwatch.js';

/** ListDashboards answers up to 1000 dashboards a call. */
export const DASHBOARD_PAGE = 1000;

const badName = (member: string) =>
  CloudWatchErrors.dashboardInvalidInput(`The value for field ${member} contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`);

export function dashboardHandlers(repo: DocumentRepo<DashboardRecord>, clock: Clock, account: Account): Record<string, OperationHandler> {
  const arn = (name: string) => `arn:aws:cloudwatch::${account.accountId}:dashboard/${name}`;
  return typedHandlers<CloudwatchInputs>({
    async PutDashboard(i) {
      if (!DASHBOARD_NAME.test(i.DashboardName)) throw badName('DashboardName');
      const problems = dashboardProblems(i.DashboardBody);
      if (problems.length > 0) throw CloudWatchErrors.dashboardInvalidInput(problemsMessage(problems));
      const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
      for (;;) {
        const existing = await repo.get(i.DashboardName);
        const record: DashboardRecord = { name: i.DashboardName, body: i.DashboardBody, lastModified: clock.now() };
        if (existing) {
          const merged = { ...existing.value.tags, ...tags };
          if (await repo.update(i.DashboardName, { ...record, ...(Object.keys(merged).length > 0 ? { tags: merged } : {}) }, existing.revision)) break;
        } else if (await repo.create(i.DashboardName, { ...record, ...(Object.keys(tags).length > 0 ? { tags } : {}) })) {
          break;
        }
      }
      // A body CloudWatch takes without remark answers an empty list.
      return { DashboardValidationMessages: [] };
    },

    async GetDashboard(input) {
      const { DashboardName } = input;
      const found = await repo.get(DashboardName);
      if (!found) throw CloudWatchErrors.dashboardNotFound(`Dashboard ${DashboardName} does not exist`);
      return { DashboardArn: arn(DashboardName), DashboardBody: found.value.body, DashboardName };
    },

    async ListDashboards(i) {
      const prefix = i.DashboardNamePrefix ?? '';
      if (prefix !== '' && !/^[A-Za-z0-9_.-]{1,255}$/.test(prefix)) throw CloudWatchErrors.invalidParameterValue(`The value ${prefix} for parameter DashboardNamePrefix is invalid.`);
      const after = i.NextToken === undefined ? undefined : Buffer.from(i.NextToken, 'base64url').toString();
      if (after !== undefined && !DASHBOARD_NAME.test(after)) throw CloudWatchErrors.invalidParameterValue('The value for parameter NextToken is invalid.');
      const page = await repo.list(prefix, after, DASHBOARD_PAGE + 1);
      const shown = page.slice(0, DASHBOARD_PAGE);
      return {
        DashboardEntries: shown.map(({ value: d }) => ({ DashboardName: d.name, DashboardArn: arn(d.name), LastModified: d.lastModified / 1000, Size: Buffer.byteLength(d.body) })),
        ...(page.length > DASHBOARD_PAGE ? { NextToken: Buffer.from(shown.at(-1)!.value.name).toString('base64url') } : {}),
      };
    },

    async DeleteDashboards(input) {
      const { DashboardNames } = input;
      // All or nothing: one missing dashboard and none is deleted.
      for (const name of DashboardNames) {
        if (!(await repo.get(name))) throw CloudWatchErrors.dashboardNotFound(`The specified dashboard does not exist. [${name}]`);
      }
      for (const name of DashboardNames) await repo.delete(name);
      return {};
    },
  });
}
