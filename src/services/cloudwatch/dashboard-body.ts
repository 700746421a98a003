/**
 * CloudWatch's checks of a dashboard's name and body: the body is a JSON object with a `widgets`
 * array, each widget of a known type with integer placement inside the 24-column grid. Problems come
 * back as CloudWatch words them, each with the JSON pointer (`dataPath`) of what is wrong. Pure.
 */
export interface DashboardProblem {
  dataPath: string;
  message: string;
}

export const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom', 'chart'];
const PLACEMENT: Record<string, [number, number]> = { x: [0, 23], y: [0, Number.MAX_SAFE_INTEGER], width: [1, 24], height: [1, 1000] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems of a dashboard body; none when CloudWatch would take it. */
export function dashboardProblems(body: string): DashboardProblem[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [{ dataPath: '', message: 'The field DashboardBody must be a valid JSON object' }];
  }
  if (!isObject(doc)) return [{ dataPath: '', message: 'The field DashboardBody must be a valid JSON object' }];
  if (!('widgets' in doc)) return [{ dataPath: '', message: "Should have required property 'widgets'" }];
  if (!Array.isArray(doc['widgets'])) return [{ dataPath: '/widgets', message: 'Should be array' }];
  const problems: DashboardProblem[] = [];
  doc['widgets'].forEach((w: unknown, n: number) => problems.push(...widgetProblems(w, `/widgets/${n}`)));
  return problems;
}

function widgetProblems(w: unknown, path: string): DashboardProblem[] {
  if (!isObject(w)) return [{ dataPath: path, message: 'Should be object' }];
  const out: DashboardProblem[] = [];
  if (!('type' in w)) out.push({ dataPath: path, message: "Should have required property 'type'" });
  else if (typeof w['type'] !== 'string' || !WIDGET_TYPES.includes(w['type'])) out.push({ dataPath: `${path}/type`, message: `Should be equal to one of the allowed values: ${WIDGET_TYPES.join(', ')}` });
  for (const [key, [min, max]] of Object.entries(PLACEMENT)) {
    const v = w[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) out.push({ dataPath: `${path}/${key}`, message: 'Should be integer' });
    else if (v < min) out.push({ dataPath: `${path}/${key}`, message: `Should be >= ${min}` });
    else if (v > max) out.push({ dataPath: `${path}/${key}`, message: `Should be <= ${max}` });
  }
  const props = w['properties'];
  if (props === undefined) {
    if (w['type'] !== undefined) out.push({ dataPath: path, message: "Should have required property 'properties'" });
  } else if (!isObject(props)) {
    out.push({ dataPath: `${path}/properties`, message: 'Should be object' });
  } else if (w['type'] === 'text' && typeof props['markdown'] !== 'string') {
    out.push({ dataPath: `${path}/properties`, message: "Should have required property 'markdown'" });
  } else if (w['type'] === 'metric' && props['metrics'] !== undefined && !Array.isArray(props['metrics'])) {
    out.push({ dataPath: `${path}/properties/metrics`, message: 'Should be array' });
  } else if (w['type'] === 'alarm' && !Array.isArray(props['alarms'])) {
    out.push({ dataPath: `${path}/properties`, message: "Should have required property 'alarms'" });
  }
  return out;
}

/** CloudWatch's refusal text: the count, then the problems as a JSON list. */
export const problemsMessage = (problems: readonly DashboardProblem[]): string =>
  `The dashboard body is invalid, there ${problems.length === 1 ? 'is 1 validation error' : `are ${problems.length} validation errors`}: ${JSON.stringify(problems)}`;
