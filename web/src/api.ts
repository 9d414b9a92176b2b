// The client of the VOS HTTP API (docs/api.md): JSON over fetch with the session cookie, the
// CSRF token on writes, If-Match, RFC 9457 problems turned into ApiError, and cursor pages.

export interface ProblemField {
  field?: string;
  message: string;
  line?: number;
  column?: number;
  severity?: string;
}

/** A refused or failed request: `detail` is the server's one sentence, `errors` its fields. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly errors: ProblemField[];
  readonly requestId: string | null;

  constructor(status: number, detail: string, errors: ProblemField[] = [], requestId: string | null = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.errors = errors;
    this.requestId = requestId;
  }

  /** The message of one field (`kpis[0].target_value`), if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

export interface Reply<T> {
  data: T;
  status: number;
  etag: string | null;
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as is (a model's YAML text) with this media type. */
  text?: { body: string; type: string };
  ifMatch?: number | string | null;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request other than the sign-in is answered 401: the session has ended. */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

const API = '/api/v1';

function problemOf(status: number, body: unknown, requestId: string | null): ApiError {
  if (body && typeof body === 'object') {
    const p = body as { detail?: unknown; title?: unknown; errors?: unknown; request_id?: unknown };
    const detail = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : `HTTP ${status}`;
    const errors = Array.isArray(p.errors) ? (p.errors as ProblemField[]) : [];
    const id = typeof p.request_id === 'string' ? p.request_id : requestId;
    return new ApiError(status, detail, errors, id);
  }
  return new ApiError(status, `the server answered ${status}`, [], requestId);
}

/** One request to `/api/v1` + path.  Resolves with the parsed JSON (null for 204). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.text) {
    headers['Content-Type'] = opts.text.type;
    body = opts.text.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch !== undefined && opts.ifMatch !== null) headers['If-Match'] = `"${opts.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(API + path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the server does not answer; check that vos serve is running');
  }
  const requestId = res.headers.get('X-Request-Id');
  let parsed: unknown = null;
  if (res.status !== 204) {
    const text = await res.text();
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
  }
  if (!res.ok) {
    const err = problemOf(res.status, parsed, requestId);
    if (res.status === 401 && !(method === 'POST' && path === '/session') && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  const etag = res.headers.get('ETag');
  return { data: parsed as T, status: res.status, etag: etag ? etag.replace(/^W\//, '').replace(/"/g, '') : null };
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>('GET', path, { signal })).data;
}

export async function post<T>(path: string, body?: unknown): Promise<T> {
  return (await request<T>('POST', path, { body: body ?? {} })).data;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Every item of a list route, page after page (at most `max` items). */
export async function listAll<T>(path: string, max = 5000, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let after: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(`${path}${sep}limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`, signal);
    out.push(...page.items);
    after = page.next;
  } while (after && out.length < max);
  return out;
}

/** A query string from the defined values of `params`. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The message a person reads for any error. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.errors
      .filter((f) => f.message && f.message !== e.detail)
      .map((f) => (f.field ? `${f.field}: ${f.message}` : f.line ? `line ${f.line}:${f.column ?? 0}: ${f.message}` : f.message));
    return fields.length ? `${e.detail} (${fields.join('; ')})` : e.detail;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
