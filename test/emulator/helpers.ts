// Shared helpers for the emulator tests: real HTTP on 127.0.0.1 via node's fetch.
import type { Emulator } from '../../src/emulator/api.js';

export interface WireItem {
  id: string;
  filename: string;
  baseUrl: string;
  productUrl: string;
  mimeType: string;
  description?: string;
  mediaMetadata: { creationTime: string; width: string; height: string; photo?: object; video?: { status: string; fps: number } };
}

export interface Page {
  mediaItems?: WireItem[];
  nextPageToken?: string;
}

export interface RpcErrorBody {
  error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>>; errors?: unknown[] };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function api(e: Emulator, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${e.urls.library}/v1/${path}`, { ...init, headers: { ...bearer(token), ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

export async function search(e: Emulator, token: string, body: unknown): Promise<{ status: number; body: Page & Partial<RpcErrorBody> }> {
  const res = await api(e, token, 'mediaItems:search', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: res.body as Page & Partial<RpcErrorBody> };
}

/** Every item of a search, following nextPageToken to the end. */
export async function searchAll(e: Emulator, token: string, body: Record<string, unknown>): Promise<WireItem[]> {
  const out: WireItem[] = [];
  let pageToken: string | undefined;
  do {
    const res = await search(e, token, { ...body, pageSize: 100, ...(pageToken ? { pageToken } : {}) });
    if (res.status !== 200) throw new Error(`search failed: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...(res.body.mediaItems ?? []));
    pageToken = res.body.nextPageToken;
  } while (pageToken);
  return out;
}
