import type { Batch, ChangeOrderSummary } from './change-order.js';

/** Lenient JSON readers shared by the product adapters: an API body is `unknown` until one of these has read it. */

/** One ListChangeOrders (SAE) or ListRecentChangeOrder (EDAS) entry; entries without an ID or a status are skipped. */
export function parseSummary(item: unknown): ChangeOrderSummary | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const id = str(o.ChangeOrderId);
  const status = toInt(o.Status);
  if (!id || status === undefined) return undefined;
  return {
    id,
    appId: str(o.AppId),
    status,
    type: str(o.CoType),
    typeCode: str(o.CoTypeCode),
    createTime: str(o.CreateTime),
    // SAE items say Description, EDAS items ChangeOrderDescription.
    description: str(o.Description) ?? str(o.ChangeOrderDescription),
    createdBy: str(o.CreateUserId) ?? str(o.UserId),
  };
}

/**
 * One batch of a change order. SAE calls its status field `Status`, EDAS `PipelineStatus`; everything else is shared.
 * A batch with no readable status gets -1, which the status table knows as unknown (so it never counts as settled).
 */
export function parseBatch(p: unknown, index: number, statusField: 'Status' | 'PipelineStatus'): Batch {
  const o = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
  return {
    id: str(o.PipelineId) ?? `batch-${index + 1}`,
    name: str(o.PipelineName) ?? `Batch ${index + 1}`,
    status: toInt(o[statusField]) ?? -1,
    startTime: toInt(o.StartTime),
    updateTime: toInt(o.UpdateTime),
  };
}

/**
 * `Pipelines` is an array, but an old doc sample shows a single object (an XML-to-JSON artifact,
 * docs/api-notes.md#sae-change-orders).
 */
export function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return [v];
  return [];
}

export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
