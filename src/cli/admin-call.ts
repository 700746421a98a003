/** Calls a Selfless server's own routes (`/_selfless/...`): GET, or POST with a JSON body; its Message on failure. */
export async function adminCall<T>(endpoint: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${endpoint}/_selfless${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const json = (await res.json().catch(() => ({}))) as { Message?: string };
  if (!res.ok) throw new Error(json.Message ?? `HTTP ${res.status}`);
  return json as T;
}
