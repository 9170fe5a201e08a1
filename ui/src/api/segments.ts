import { invoke } from "@tauri-apps/api/core";
import type { CustomFieldInfo } from "../bindings/CustomFieldInfo";
import type { FilterIssue } from "../bindings/FilterIssue";
import type { SegmentCount } from "../bindings/SegmentCount";
import type { SegmentDetail } from "../bindings/SegmentDetail";
import type { SegmentInput } from "../bindings/SegmentInput";
import type { SegmentPreview } from "../bindings/SegmentPreview";
import type { SegmentPreviewQuery } from "../bindings/SegmentPreviewQuery";
import type { SegmentSummary } from "../bindings/SegmentSummary";

export function segmentsList(): Promise<SegmentSummary[]> {
  return invoke<SegmentSummary[]>("segments_list");
}

export function segmentsGet(id: string): Promise<SegmentDetail> {
  return invoke<SegmentDetail>("segments_get", { id });
}

export function segmentsCreate(input: SegmentInput): Promise<SegmentDetail> {
  return invoke<SegmentDetail>("segments_create", { input });
}

export function segmentsUpdate(id: string, input: SegmentInput): Promise<SegmentDetail> {
  return invoke<SegmentDetail>("segments_update", { id, input });
}

/** Copies a segment; the copy's name gets " (copy)". */
export function segmentsDuplicate(id: string): Promise<SegmentDetail> {
  return invoke<SegmentDetail>("segments_duplicate", { id });
}

/** Refused (`conflict`, naming them) while another segment's filter refers to this one. */
export function segmentsDelete(id: string): Promise<void> {
  return invoke<void>("segments_delete", { id });
}

/**
 * What is wrong with a filter, each issue at a path like "all[1].any[0]";
 * empty when it is valid. `editing` is the segment being edited, so a filter
 * that would include itself is caught.
 */
export function segmentsCheck(filter: unknown, editing: string | null = null): Promise<FilterIssue[]> {
  return invoke<FilterIssue[]>("segments_check", { filter, editing });
}

/**
 * Counts and pages the contacts a filter matches. `ticket` increases with every
 * request; the backend may refuse a superseded one (`conflict` on `ticket`).
 */
export function segmentsPreview(query: SegmentPreviewQuery): Promise<SegmentPreview> {
  return invoke<SegmentPreview>("segments_preview", { query });
}

/** Counts a saved segment afresh (its cached count is then fresh). */
export function segmentsCount(id: string): Promise<SegmentCount> {
  return invoke<SegmentCount>("segments_count", { id });
}

/** The custom field keys contacts carry, with the kind of value each holds. */
export function segmentsCustomFields(): Promise<CustomFieldInfo[]> {
  return invoke<CustomFieldInfo[]>("segments_custom_fields");
}
