import { ApiError } from '../alicloud/api-error.js';
import type { Batch, ChangeOrderSummary } from './change-order.js';

/**
 * JSON readers shared by the product adapters: an API body is `unknown` until one of these has read it. Fields that only
 * inform (names, times) are read leniently; fields that decide (status, success flags, IDs, booleans) strictly, and
 * anything else there is a malformed response, never a verdict (README "Answers the gate does not take on faith").
 */

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
    status: batchStatus(o[statusField]),
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

/** A batch status: absent is -1 (unknown, never settled); present but not an integer is a malformed response. */
function batchStatus(v: unknown): number {
  if (v === undefined || v === null || v === '') return -1;
  const status = toInt(v);
  if (status === undefined) throw malformed('batch status', `a batch status is ${describe(v)}, not an integer`);
  return status;
}

/** An integer, or a string of digits; anything else (2.5, "2.5", NaN, true) is not one. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The one error a deciding field that does not parse becomes: malformed (retried as a passing fault, never believed). */
export function malformed(operation: string, detail: string): ApiError {
  return new ApiError(operation, 'MalformedResponse', detail, 'malformed');
}

/** A value as a person reads it in an error message, short. */
export function describe(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * A documented boolean: true or false, or its documented string form "true" / "false" (the ROA gateway sometimes
 * sends query-style strings). Absent is undefined; anything else (0, 1, "yes", "False ") is a malformed response.
 */
export function strictBool(operation: string, field: string, v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw malformed(operation, `${field} is ${describe(v)}, neither true nor false`);
}

/**
 * The status of a change order: required, and an integer. 2.5 or "2.5" is not read as 2: it is a malformed response.
 * An integer the status table does not know stays "unknown" (never settled, never a pass).
 */
export function strictStatus(operation: string, v: unknown): number {
  const status = toInt(v);
  if (status === undefined)
    throw malformed(
      operation,
      v === undefined
        ? 'the change order in the response has no Status'
        : `the Status is ${describe(v)}, not an integer`,
    );
  return status;
}

/** The answer must be about the change order asked for: another ID (or none) is a malformed response, never a verdict. */
export function checkIdentity(operation: string, v: unknown, requestedId: string): void {
  if (typeof v === 'string' && v === requestedId) return;
  throw malformed(
    operation,
    v === undefined || v === null || v === ''
      ? `the answer does not say which change order it is about (asked for ${requestedId})`
      : `the answer is about change order ${describe(v)}, not ${requestedId}`,
  );
}

/**
 * A body that says it succeeded, as documented: \`Success\` true (SAE), else a \`Code\` of 200 / "200" / "OK" (EDAS,
 * whose write answers have no Success). \`Success: "false"\`, 0, a 302 with {} or an empty body are not a success:
 * they are malformed, so a read is retried and a remedy is never counted as applied on them.
 */
export function checkSucceeded(operation: string, body: Record<string, unknown>): void {
  const success = body.Success;
  if (success !== undefined) {
    if (success === true || success === 'true') return;
    throw malformed(operation, `the answer says Success ${describe(success)}, not true`);
  }
  const code = body.Code;
  if (code === 200 || code === '200' || code === 'OK') return;
  throw malformed(
    operation,
    code === undefined ? 'the answer carries neither Success nor Code' : `the answer says Code ${describe(code)}`,
  );
}

/**
 * An abort answer: a documented success, and, when it names an order (Data.ChangeOrderId), the order asked for.
 * SAE and EDAS abort answers carry the same Data.
 */
export function checkAbortAnswer(operation: string, body: Record<string, unknown>, changeOrderId: string): void {
  checkSucceeded(operation, body);
  const data = body.Data;
  if (data && typeof data === 'object' && 'ChangeOrderId' in data)
    checkIdentity(operation, (data as Record<string, unknown>).ChangeOrderId, changeOrderId);
}
