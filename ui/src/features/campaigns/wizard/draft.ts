// The wizard's working copy of a campaign, what each step checks before the
// campaign is saved, and which step shows a field the backend complained of.
import type { CampaignDetail, CampaignInput } from "../../../api/campaigns";

export type DraftField = keyof CampaignInput;
export type FieldErrors = Partial<Record<DraftField, string>>;

export const STEPS = ["Details", "Audience", "Content", "Review", "Send"] as const;

const STEP_OF: Partial<Record<DraftField, number>> = {
  name: 0,
  subject: 0,
  preheader: 0,
  fromName: 0,
  fromAddress: 0,
  replyTo: 0,
  tracking: 0,
  rate: 0,
  segmentId: 1,
  html: 2,
  textBody: 2,
  editor: 2,
  templateId: 2,
  smsOptOut: 2,
};

/** The step whose form holds `field` (the first step for a field no step shows). */
export const stepOfField = (field: string): number => STEP_OF[field as DraftField] ?? 0;

export function emptyDraft(channel: CampaignInput["channel"] = "email"): CampaignInput {
  return {
    channel,
    name: "",
    segmentId: null,
    subject: "",
    preheader: null,
    fromName: null,
    fromAddress: null,
    replyTo: null,
    html: "",
    textBody: null,
    editor: "rich",
    templateId: null,
    tracking: true,
    rate: null,
    smsOptOut: true,
  };
}

export function inputOf(c: CampaignDetail): CampaignInput {
  return {
    channel: c.channel,
    name: c.name,
    segmentId: c.segmentId,
    subject: c.subject,
    preheader: c.preheader,
    fromName: c.fromName,
    fromAddress: c.fromAddress,
    replyTo: c.replyTo,
    html: c.html,
    textBody: c.textBody,
    editor: c.editor,
    templateId: c.templateId,
    tracking: c.tracking,
    rate: c.rate,
    smsOptOut: c.smsOptOut,
  };
}

/** Empty optional text becomes null, as the contract has it; the rest is trimmed. */
export function normalized(d: CampaignInput): CampaignInput {
  const opt = (v: string | null) => (v && v.trim() ? v.trim() : null);
  return {
    ...d,
    name: d.name.trim(),
    subject: d.subject.trim(),
    preheader: opt(d.preheader),
    fromName: opt(d.fromName),
    fromAddress: opt(d.fromAddress),
    replyTo: opt(d.replyTo),
    textBody: opt(d.textBody),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether HTML has something a reader would see: text or an image. */
export function hasContent(html: string): boolean {
  return /<img\s/i.test(html) || html.replace(/<[^>]*>/g, "").replace(/&nbsp;/g, " ").trim() !== "";
}

/** Whether HTML has layout the rich editor would drop (tables, style sheets). */
export function needsHtmlEditor(html: string): boolean {
  return /<(table|style)[\s>]/i.test(html);
}

/** What is missing or malformed on `step`, by field, before anything is sent to the backend. */
export function checkStep(step: number, d: CampaignInput): FieldErrors {
  const e: FieldErrors = {};
  if (d.channel === "sms") {
    // A text has a name, an audience and a body; no subject, sender or HTML.
    if (step === 0 && !d.name.trim()) e.name = "Give the campaign a name (only you see it)";
    if (step === 1 && !d.segmentId) e.segmentId = "Choose who receives this campaign";
    if (step === 2 && !d.textBody?.trim()) e.textBody = "Write the message";
    return e;
  }
  if (step === 0) {
    if (!d.name.trim()) e.name = "Give the campaign a name (only you see it)";
    if (!d.subject.trim()) e.subject = "Write a subject line";
    if (d.fromAddress?.trim() && !EMAIL.test(d.fromAddress.trim())) e.fromAddress = `“${d.fromAddress.trim()}” is not an email address`;
    if (d.replyTo?.trim() && !EMAIL.test(d.replyTo.trim())) e.replyTo = `“${d.replyTo.trim()}” is not an email address`;
    if (d.rate !== null && !(d.rate > 0 && d.rate <= 1000)) e.rate = "Between 0.1 and 1000 messages a second, or blank";
  }
  if (step === 1 && !d.segmentId) e.segmentId = "Choose who receives this campaign";
  if (step === 2 && !hasContent(d.html)) e.html = "Write the message, or start from a template";
  return e;
}
