// Typed wrappers for the campaigns_* commands of docs/campaigns.md, one per
// command. Every type that crosses IPC comes from src/bindings (generated from
// the Rust DTOs), so a change on either side fails the typecheck.
import { invoke } from "@tauri-apps/api/core";
import type { AttachmentInfo } from "../bindings/AttachmentInfo";
import type { AudienceSummary } from "../bindings/AudienceSummary";
import type { CampaignCounts } from "../bindings/CampaignCounts";
import type { CampaignDetail } from "../bindings/CampaignDetail";
import type { CampaignInput } from "../bindings/CampaignInput";
import type { CampaignPreview } from "../bindings/CampaignPreview";
import type { CampaignProgress } from "../bindings/CampaignProgress";
import type { CampaignStatus } from "../bindings/CampaignStatus";
import type { CampaignSummary } from "../bindings/CampaignSummary";
import type { Channel } from "../bindings/Channel";
import type { Exclusions } from "../bindings/Exclusions";
import type { RecipientPage } from "../bindings/RecipientPage";
import type { RecipientQuery } from "../bindings/RecipientQuery";
import type { RecipientRow } from "../bindings/RecipientRow";
import type { RecipientStatus } from "../bindings/RecipientStatus";
import type { TemplateDetail } from "../bindings/TemplateDetail";
import type { TemplateInput } from "../bindings/TemplateInput";
import type { TemplateSummary } from "../bindings/TemplateSummary";

export type {
  AttachmentInfo,
  AudienceSummary,
  CampaignCounts,
  CampaignDetail,
  CampaignInput,
  CampaignPreview,
  CampaignProgress,
  CampaignStatus,
  CampaignSummary,
  Exclusions,
  RecipientPage,
  RecipientQuery,
  RecipientRow,
  RecipientStatus,
  TemplateDetail,
  TemplateInput,
  TemplateSummary,
};

/**
 * The arguments of campaigns_list (separate command parameters on the Rust
 * side, so no generated type): all optional.
 */
export type CampaignListQuery = { search?: string; status?: CampaignStatus[]; channel?: Channel };

/** Newest first; `search` goes through the full-text index (name, subject, body text). */
export function campaignsList(query: CampaignListQuery = {}): Promise<CampaignSummary[]> {
  return invoke<CampaignSummary[]>("campaigns_list", query);
}

export function campaignsGet(id: string): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaigns_get", { id });
}

export function campaignsCreate(input: CampaignInput): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaigns_create", { input });
}

/** Only draft, scheduled and paused campaigns can be edited (`conflict` otherwise). */
export function campaignsUpdate(id: string, input: CampaignInput): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaigns_update", { id, input });
}

/** Refused while the campaign is sending. */
export function campaignsDelete(id: string): Promise<void> {
  return invoke<void>("campaigns_delete", { id });
}

/** A draft copy (content, settings, attachments; never the ledger) named "… (copy)". */
export function campaignsDuplicate(id: string): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaigns_duplicate", { id });
}

export function campaignTemplatesList(): Promise<TemplateSummary[]> {
  return invoke<TemplateSummary[]>("campaign_templates_list");
}

export function campaignTemplatesGet(id: string): Promise<TemplateDetail> {
  return invoke<TemplateDetail>("campaign_templates_get", { id });
}

export function campaignTemplatesSave(input: TemplateInput): Promise<TemplateDetail> {
  return invoke<TemplateDetail>("campaign_templates_save", { input });
}

/** Built-in templates cannot be deleted. */
export function campaignTemplatesDelete(id: string): Promise<void> {
  return invoke<void>("campaign_templates_delete", { id });
}

/** Attaches a file sent with `importUpload`'s chunked upload (5 MB each, 10 MB per campaign). */
export function campaignAttachmentsAdd(campaignId: string, uploadId: string): Promise<AttachmentInfo> {
  return invoke<AttachmentInfo>("campaign_attachments_add", { campaignId, uploadId });
}

export function campaignAttachmentsRemove(campaignId: string, attachmentId: string): Promise<void> {
  return invoke<void>("campaign_attachments_remove", { campaignId, attachmentId });
}

/** Who the campaign would reach now, and who its segment holds that it would not. */
export function campaignAudience(id: string): Promise<AudienceSummary> {
  return invoke<AudienceSummary>("campaign_audience", { id });
}

/** The message as `contactId` (or a sample contact) would get it. */
export function campaignPreview(id: string, contactId?: string | null): Promise<CampaignPreview> {
  return invoke<CampaignPreview>("campaign_preview", contactId ? { id, contactId } : { id });
}

/** Sends the message to 1..5 addresses, personalised as `contactId`. */
export function campaignTestSend(id: string, addresses: string[], contactId?: string | null): Promise<void> {
  return invoke<void>("campaign_test_send", contactId ? { id, addresses, contactId } : { id, addresses });
}

/**
 * Starts sending. `expectedRecipients` is the number the person confirmed;
 * the backend refuses (`conflict`) when the audience has changed since.
 */
export function campaignSendNow(id: string, expectedRecipients: number): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_send_now", { id, expectedRecipients });
}

/** `at` in ms since the epoch. */
export function campaignSchedule(id: string, at: number): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaign_schedule", { id, at });
}

export function campaignUnschedule(id: string): Promise<CampaignDetail> {
  return invoke<CampaignDetail>("campaign_unschedule", { id });
}

export function campaignPause(id: string): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_pause", { id });
}

export function campaignResume(id: string): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_resume", { id });
}

export function campaignCancel(id: string): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_cancel", { id });
}

export function campaignRetryFailed(id: string): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_retry_failed", { id });
}

/** Sends again to recipients whose delivery is in doubt (they may get it twice). */
export function campaignResendInDoubt(id: string, contactIds: string[]): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_resend_in_doubt", { id, contactIds });
}

export function campaignProgress(id: string): Promise<CampaignProgress> {
  return invoke<CampaignProgress>("campaign_progress", { id });
}

export function campaignRecipients(id: string, query: RecipientQuery): Promise<RecipientPage> {
  return invoke<RecipientPage>("campaign_recipients", { id, query });
}

/** The ledger as CSV text, optionally only one status. */
export function campaignRecipientsExport(id: string, status?: RecipientStatus | null): Promise<string> {
  return invoke<string>("campaign_recipients_export", status ? { id, status } : { id });
}
