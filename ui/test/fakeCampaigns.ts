// The campaigns_* and email_* commands of docs/campaigns.md over a
// FakeBackend, for component tests and the dev preview page. Sending is a
// pretend queue that `tick()` moves on, so tests decide when progress happens.
import type {
  AttachmentInfo,
  AudienceSummary,
  CampaignDetail,
  CampaignInput,
  CampaignListQuery,
  CampaignPreview,
  CampaignProgress,
  CampaignStatus,
  RecipientQuery,
  RecipientRow,
  RecipientStatus,
  TemplateDetail,
} from "../src/api/campaigns";
import type { EmailSettingsInput, EmailSettingsView, SmtpPreset, SmtpTestReport } from "../src/api/email";
import { commandError, type FakeBackend } from "./fakeBackend";

export const PRESETS: SmtpPreset[] = [
  { id: "gmail", name: "Gmail / Google Workspace", host: "smtp.gmail.com", port: 587, security: "starttls", username: "you@gmail.com", note: "Use an app password, not your Google password." },
  { id: "m365", name: "Microsoft 365", host: "smtp.office365.com", port: 587, security: "starttls", username: "you@yourcompany.com", note: "SMTP AUTH must be on for the mailbox." },
  { id: "ses", name: "Amazon SES (eu-west-1)", host: "email-smtp.eu-west-1.amazonaws.com", port: 465, security: "tls", username: null, note: "Use SMTP credentials from the SES console, not IAM keys." },
];

// As the composer knows them (herald-send: personalize::CONTACT_FIELDS);
// the fake's relay is always set up, so web_view_url is known.
const VARIABLES = [
  "contact.first_name", "contact.last_name", "contact.email", "contact.phone", "contact.company", "contact.country", "contact.id",
  "campaign.name", "unsubscribe_url", "web_view_url",
];

const BUILTIN: TemplateDetail[] = [
  { id: "tpl-plain", name: "Plain letter", thumbnail: null, builtin: true, html: "<p>Hi {{ contact.first_name }},</p><p>Write your message here.</p><p>Best wishes</p>" },
  { id: "tpl-news", name: "Newsletter", thumbnail: null, builtin: true, html: "<h1>This month at Acme</h1><p>Hi {{ contact.first_name }}, here is what is new.</p><h2>Headline story</h2><p>Tell the story.</p>" },
  {
    id: "tpl-announce",
    name: "Announcement",
    thumbnail: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 160"><rect width="120" height="160" fill="#f4f5f7"/><rect x="10" y="8" width="100" height="144" rx="4" fill="#fff"/><rect x="18" y="20" width="84" height="40" fill="#4f5bd5"/><rect x="18" y="70" width="70" height="6" fill="#111827"/><rect x="18" y="82" width="84" height="3" fill="#cbd5e1"/><rect x="18" y="88" width="76" height="3" fill="#cbd5e1"/><rect x="36" y="104" width="48" height="12" rx="3" fill="#4f5bd5"/></svg>',
    builtin: true,
    html: '<table role="presentation" width="600" style="margin:0 auto"><tr><td style="background:#4f5bd5;color:#fff;padding:32px"><h1>Big news</h1></td></tr><tr><td style="padding:24px">Hi {{ contact.first_name }}, we have something to tell you.</td></tr></table>',
  },
  { id: "tpl-offer", name: "Offer", thumbnail: null, builtin: true, html: "<h1>20% off this week</h1><p>{{ contact.first_name }}, this one is for you.</p><p><a href=\"https://example.com/shop\">Shop now</a></p>" },
];

const emptyCounts = () => ({ recipients: 0, queued: 0, sent: 0, failed: 0, inDoubt: 0, suppressed: 0, opened: 0, clicked: 0, delivered: 0, undelivered: 0 });
const EDITABLE: CampaignStatus[] = ["draft", "scheduled", "paused"];
let idCounter = 0;
const newId = (p: string) => `${p}-${(++idCounter).toString(16).padStart(6, "0")}`;

type Ledger = Map<string, RecipientRow[]>;

export class FakeCampaigns {
  campaigns: CampaignDetail[] = [];
  templates: TemplateDetail[] = structuredClone(BUILTIN);
  ledger: Ledger = new Map();
  audience: AudienceSummary = {
    segmentCount: 1239,
    willReceive: 1204,
    excluded: { unsubscribed: 31, bounced: 4, complained: 0, noConsent: 0, noAddress: 0, duplicate: 0 },
    trackingOn: true,
    trackingNote: "Opens and clicks are counted through your relay.",
  };
  settings: EmailSettingsView = {
    dkimDomain: null,
    dkimSelector: null,
    host: "",
    port: 587,
    security: "starttls",
    username: null,
    fromName: "",
    fromAddress: "",
    replyTo: null,
    messagesPerSecond: 10,
    connections: 2,
    unsubscribeMailto: null,
    passwordStored: false,
    configured: false,
  };
  /** When set, email_settings_test fails with this reply from the server. */
  smtpFailure: string | null = null;
  /** Recipients sent per tick while sending. */
  perTick = 100;
  now = Date.now();

  constructor(private fake: FakeBackend) {}

  install(): this {
    const f = this.fake;
    f.on("campaigns_list", (a) => this.list(a as CampaignListQuery));
    f.on("campaigns_get", (a) => structuredClone(this.find(a.id as string)));
    f.on("campaigns_create", (a) => this.create(a.input as CampaignInput));
    f.on("campaigns_update", (a) => this.update(a.id as string, a.input as CampaignInput));
    f.on("campaigns_delete", (a) => this.remove(a.id as string));
    f.on("campaigns_duplicate", (a) => this.duplicate(a.id as string));
    f.on("campaign_templates_list", () => this.templates.map(({ html: _, ...t }) => t));
    f.on("campaign_templates_get", (a) => structuredClone(this.template(a.id as string)));
    f.on("campaign_templates_save", (a) => this.saveTemplate(a.input as { name: string; html: string }));
    f.on("campaign_attachments_add", (a) => this.attach(a.campaignId as string, a.uploadId as string));
    f.on("campaign_attachments_remove", (a) => this.detach(a.campaignId as string, a.attachmentId as string));
    f.on("campaign_audience", (a) => (this.find(a.id as string), structuredClone(this.audience)));
    f.on("campaign_preview", (a) => this.preview(a.id as string, (a.contactId as string | undefined) ?? null));
    f.on("campaign_test_send", (a) => this.testSend(a.addresses as string[]));
    f.on("campaign_send_now", (a) => this.sendNow(a.id as string, a.expectedRecipients as number));
    f.on("campaign_schedule", (a) => this.schedule(a.id as string, a.at as number));
    f.on("campaign_unschedule", (a) => this.setStatus(a.id as string, "draft", ["scheduled"]));
    f.on("campaign_pause", (a) => this.progressAfter(a.id as string, "paused", ["sending"]));
    f.on("campaign_resume", (a) => this.progressAfter(a.id as string, "sending", ["paused"]));
    f.on("campaign_cancel", (a) => this.progressAfter(a.id as string, "cancelled", ["draft", "scheduled", "sending", "paused"]));
    f.on("campaign_retry_failed", (a) => this.requeue(a.id as string, "failed", null));
    f.on("campaign_resend_in_doubt", (a) => this.requeue(a.id as string, "in_doubt", a.contactIds as string[]));
    f.on("campaign_progress", (a) => this.progress(a.id as string));
    f.on("campaign_recipients", (a) => this.recipients(a.id as string, a.query as RecipientQuery));
    f.on("campaign_recipients_export", (a) => this.exportCsv(a.id as string, (a.status as RecipientStatus | undefined) ?? null));
    f.on("email_settings_get", () => structuredClone(this.settings));
    f.on("email_settings_save", (a) => this.saveSettings(a.input as EmailSettingsInput));
    f.on("email_settings_test", (a) => this.testSettings(a.input as EmailSettingsInput));
    f.on("email_presets", () => structuredClone(PRESETS));
    return this;
  }

  /** A stored campaign with these fields (a draft by default). */
  add(partial: Partial<CampaignDetail> = {}): CampaignDetail {
    const t = partial.createdAt ?? this.now;
    const c: CampaignDetail = {
      id: newId("cmp"),
      name: "Spring newsletter",
      channel: "email",
      status: "draft",
      segmentId: null,
      segmentName: null,
      subject: "What's new this spring",
      preheader: null,
      fromName: null,
      fromAddress: null,
      replyTo: null,
      html: "<p>Hi {{ contact.first_name }},</p>",
      textBody: null,
      editor: "rich",
      templateId: null,
      tracking: true,
      smsOptOut: true,
      rate: null,
      scheduledAt: null,
      startedAt: null,
      finishedAt: null,
      createdAt: t,
      updatedAt: t,
      counts: emptyCounts(),
      attachments: [],
      exclusions: null,
      lastError: null,
      editable: true,
      startFailure: null,
      ...partial,
    };
    c.editable = EDITABLE.includes(c.status);
    this.campaigns.unshift(c);
    return c;
  }

  /** Replaces a campaign's ledger rows and its counts with them. */
  setLedger(id: string, rows: RecipientRow[]) {
    this.ledger.set(id, rows);
    this.recount(this.find(id));
  }

  /** Ledger rows for a campaign: `n` recipients with these statuses in turn. */
  fillLedger(id: string, statuses: RecipientStatus[]): RecipientRow[] {
    const rows = statuses.map((status, i) => ({
      contactId: `contact-${i + 1}`,
      address: `person${i + 1}@example.com`,
      name: `Person ${i + 1}`,
      status,
      attempts: status === "queued" ? 0 : 1,
      error: status === "failed" ? "550 5.1.1 mailbox unavailable" : status === "in_doubt" ? "connection lost after DATA" : null,
      sentAt: status === "sent" ? this.now : null,
      openedAt: null,
      clickedAt: null,
      deliveryStatus: null,
      deliveryError: null,
    }));
    this.ledger.set(id, rows);
    this.recount(this.find(id));
    return rows;
  }

  /** Moves a sending campaign on by `perTick` recipients (and finishes it when none are left). */
  tick(id: string): void {
    const c = this.find(id);
    if (c.status !== "sending") return;
    const rows = this.ledger.get(id) ?? [];
    let moved = 0;
    for (const r of rows) {
      if (moved >= this.perTick) break;
      if (r.status === "queued") {
        r.status = "sent";
        r.sentAt = this.now;
        r.attempts += 1;
        moved += 1;
      }
    }
    this.recount(c);
    if (c.counts.queued === 0) {
      c.status = "sent";
      c.finishedAt = this.now;
    }
  }

  private find(id: string): CampaignDetail {
    const c = this.campaigns.find((x) => x.id === id);
    if (!c) throw commandError("not_found", "This campaign no longer exists");
    return c;
  }

  private template(id: string): TemplateDetail {
    const t = this.templates.find((x) => x.id === id);
    if (!t) throw commandError("not_found", "This template no longer exists");
    return t;
  }

  private list(q: CampaignListQuery) {
    const needle = q.search?.trim().toLowerCase();
    return this.campaigns
      .filter((c) => !needle || [c.name, c.subject, c.html].some((v) => v.toLowerCase().includes(needle)))
      .filter((c) => !q.status?.length || q.status.includes(c.status))
      .filter((c) => !q.channel || c.channel === q.channel)
      .map((c) => {
        const { preheader: _p, fromName: _fn, fromAddress: _fa, replyTo: _r, html: _h, textBody: _t, editor: _e, templateId: _ti, tracking: _tr, rate: _ra, attachments: _a, exclusions: _x, lastError: _l, editable: _ed, ...summary } = c;
        return structuredClone(summary);
      });
  }

  private validate(input: CampaignInput) {
    if (!input.name.trim()) throw commandError("validation", "name: give the campaign a name", "name");
    const unknown = /\{\{\s*([\w.]+)\s*\}\}/g;
    for (const field of ["subject", "preheader", "html"] as const) {
      const text = input[field] ?? "";
      for (const m of text.matchAll(unknown)) {
        const name = m[1]!;
        if (!VARIABLES.includes(name) && !name.startsWith("contact.custom.")) {
          throw commandError("validation", `${field}: line 1, column ${m.index! + 1}: unknown variable ${name}`, field);
        }
      }
    }
    if (input.fromAddress && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.fromAddress)) {
      throw commandError("validation", `fromAddress: "${input.fromAddress}" is not an email address`, "fromAddress");
    }
  }

  private create(input: CampaignInput): CampaignDetail {
    this.validate(input);
    const c = this.add({ ...input, segmentName: this.segmentName(input.segmentId) });
    return structuredClone(c);
  }

  private segmentName(id: string | null): string | null {
    if (!id) return null;
    const list = (this.fake as unknown as { overrides: Map<string, (a: Record<string, unknown>) => unknown> }).overrides.get("segments_list");
    const segments = (list?.({}) ?? []) as { id: string; name: string }[];
    return segments.find((s) => s.id === id)?.name ?? "Segment";
  }

  private update(id: string, input: CampaignInput): CampaignDetail {
    const c = this.find(id);
    if (!c.editable) throw commandError("conflict", `This campaign is ${c.status} and can no longer be edited`);
    this.validate(input);
    Object.assign(c, input, { updatedAt: Date.now(), segmentName: this.segmentName(input.segmentId), startFailure: null });
    return structuredClone(c);
  }

  private remove(id: string): null {
    const c = this.find(id);
    if (c.status === "sending") throw commandError("conflict", "This campaign is sending: pause or cancel it first");
    this.campaigns = this.campaigns.filter((x) => x.id !== id);
    return null;
  }

  private duplicate(id: string): CampaignDetail {
    const src = this.find(id);
    const copy = this.add({
      ...structuredClone(src),
      id: newId("cmp"),
      name: `${src.name} (copy)`,
      status: "draft",
      counts: emptyCounts(),
      scheduledAt: null,
      startedAt: null,
      finishedAt: null,
      lastError: null,
      startFailure: null,
    });
    return structuredClone(copy);
  }

  private saveTemplate(input: { name: string; html: string }): TemplateDetail {
    if (!input.name.trim()) throw commandError("validation", "name: give the template a name", "name");
    const t = { id: newId("tpl"), name: input.name.trim(), thumbnail: null, builtin: false, html: input.html };
    this.templates.push(t);
    return structuredClone(t);
  }

  private attach(campaignId: string, uploadId: string): AttachmentInfo {
    const c = this.find(campaignId);
    const upload = (this.fake.uploads as Map<string, { name: string; bytes: number[] }>).get(uploadId);
    if (!upload) throw commandError("not_found", "This upload has expired; choose the file again");
    if (upload.bytes.length > 5 * 1024 * 1024) throw commandError("validation", `${upload.name} is larger than 5 MB`, "attachment");
    const a = { id: newId("att"), filename: upload.name, contentType: "application/octet-stream", size: upload.bytes.length };
    c.attachments.push(a);
    return a;
  }

  private detach(campaignId: string, attachmentId: string): null {
    const c = this.find(campaignId);
    c.attachments = c.attachments.filter((a) => a.id !== attachmentId);
    return null;
  }

  private preview(id: string, contactId: string | null): CampaignPreview {
    const c = this.find(id);
    // As the backend: without a contact, an example person with no details.
    const contact = contactId ? this.fake.contacts.find((x) => x.contact.id === contactId)?.contact : undefined;
    const fill = (s: string) =>
      s
        .replace(/\{\{\s*contact\.first_name\s*\}\}/g, contact?.firstName ?? "")
        .replace(/\{\{\s*contact\.email\s*\}\}/g, contact?.email ?? "someone@example.com")
        .replace(/\{\{\s*unsubscribe_url\s*\}\}/g, "https://relay.example.com/u/abc")
        .replace(/\{\{\s*web_view_url\s*\}\}/g, "https://relay.example.com/v/abc");
    const hints: string[] = [];
    if (/free|!!!|act now/i.test(c.subject)) hints.push("The subject has words spam filters score against (\"free\", \"act now\", \"!!!\").");
    if (!/<a /.test(c.html)) hints.push("The message has no links: add a link to your website so readers can check who you are.");
    return {
      subject: fill(c.subject),
      html: `<!doctype html><html><body style="font-family:sans-serif">${fill(c.html)}</body></html>`,
      text: fill(c.html.replace(/<[^>]+>/g, " ")),
      contactId: contact?.id ?? null,
      contactLabel: contact ? `${contact.displayName} <${contact.email ?? ""}>` : null,
      hints,
      sms: null,
    };
  }

  private testSend(addresses: string[]): null {
    if (addresses.length < 1 || addresses.length > 5) throw commandError("validation", "addresses: give 1 to 5 addresses", "addresses");
    const bad = addresses.find((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a));
    if (bad) throw commandError("validation", `addresses: "${bad}" is not an email address`, "addresses");
    if (!this.settings.configured) throw commandError("conflict", "Email is not set up: add your SMTP server in Settings → Email");
    return null;
  }

  private sendNow(id: string, expected: number): CampaignProgress {
    const c = this.find(id);
    if (!["draft", "scheduled"].includes(c.status)) throw commandError("conflict", `This campaign is ${c.status}`);
    if (expected !== this.audience.willReceive) {
      throw commandError("conflict", `The audience changed: ${this.audience.willReceive} would receive it now, not ${expected}. Check and confirm again`);
    }
    if (!this.ledger.has(id)) this.fillLedger(id, Array.from({ length: this.audience.willReceive }, () => "queued" as const));
    c.status = "sending";
    c.startedAt = Date.now();
    c.editable = false;
    c.startFailure = null;
    this.recount(c);
    return this.progress(id);
  }

  private schedule(id: string, at: number): CampaignDetail {
    const c = this.find(id);
    if (at <= Date.now()) throw commandError("validation", "at: pick a time in the future", "at");
    c.status = "scheduled";
    c.scheduledAt = at;
    c.startFailure = null;
    return structuredClone(c);
  }

  private setStatus(id: string, status: CampaignStatus, from: CampaignStatus[]): CampaignDetail {
    const c = this.find(id);
    if (!from.includes(c.status)) throw commandError("conflict", `This campaign is ${c.status}`);
    c.status = status;
    c.editable = EDITABLE.includes(status);
    c.startFailure = null;
    if (status === "draft") c.scheduledAt = null;
    return structuredClone(c);
  }

  private progressAfter(id: string, status: CampaignStatus, from: CampaignStatus[]): CampaignProgress {
    this.setStatus(id, status, from);
    return this.progress(id);
  }

  private requeue(id: string, status: RecipientStatus, only: string[] | null): CampaignProgress {
    const c = this.find(id);
    for (const r of this.ledger.get(id) ?? []) {
      if (r.status === status && (!only || only.includes(r.contactId))) {
        r.status = "queued";
        r.error = null;
      }
    }
    c.status = "sending";
    c.editable = false;
    this.recount(c);
    return this.progress(id);
  }

  private recount(c: CampaignDetail) {
    const rows = this.ledger.get(c.id) ?? [];
    const n = (s: RecipientStatus) => rows.filter((r) => r.status === s).length;
    c.counts = {
      ...c.counts,
      recipients: rows.length,
      queued: n("queued") + n("sending"),
      sent: n("sent"),
      failed: n("failed"),
      inDoubt: n("in_doubt"),
      suppressed: n("suppressed"),
      delivered: rows.filter((r) => r.deliveryStatus === "delivered").length,
      undelivered: rows.filter((r) => r.deliveryStatus === "undelivered" || r.deliveryStatus === "failed").length,
    };
  }

  progress(id: string): CampaignProgress {
    const c = this.find(id);
    const sending = c.status === "sending";
    return {
      id,
      status: c.status,
      counts: structuredClone(c.counts),
      ratePerSecond: sending ? 12.5 : 0,
      etaSeconds: sending ? Math.ceil(c.counts.queued / 12.5) : null,
      lastError: c.lastError,
    };
  }

  private recipients(id: string, q: RecipientQuery) {
    this.find(id);
    const needle = q.search?.trim().toLowerCase();
    const rows = (this.ledger.get(id) ?? [])
      .filter((r) => !q.status || r.status === q.status)
      .filter((r) => !needle || r.address.includes(needle) || r.name?.toLowerCase().includes(needle));
    return { rows: structuredClone(rows.slice(q.offset, q.offset + q.limit)), total: rows.length };
  }

  private exportCsv(id: string, status: RecipientStatus | null): string {
    const rows = (this.ledger.get(id) ?? []).filter((r) => !status || r.status === status);
    return ["address,name,status", ...rows.map((r) => `${r.address},${r.name ?? ""},${r.status}`)].join("\n") + "\n";
  }

  private checkSettings(input: EmailSettingsInput) {
    if (!input.host.trim()) throw commandError("validation", "host: enter your SMTP server, e.g. smtp.example.com", "host");
    if (input.security === "none" && !/^(localhost|127\.0\.0\.1|::1)$/.test(input.host.trim())) {
      throw commandError("validation", "security: without TLS your password would cross the network in the clear; only localhost may use none", "security");
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.fromAddress)) {
      throw commandError("validation", `fromAddress: "${input.fromAddress}" is not an email address`, "fromAddress");
    }
  }

  private saveSettings(input: EmailSettingsInput): EmailSettingsView {
    this.checkSettings(input);
    const { password, dkimDomain, dkimSelector, dkimPrivateKey, ...rest } = input;
    const dkimOff = dkimDomain !== undefined && (dkimDomain ?? "").trim() === "";
    this.settings = {
      ...rest,
      dkimDomain: dkimOff ? null : (dkimDomain ?? this.settings.dkimDomain),
      dkimSelector: dkimOff ? null : (dkimSelector ?? this.settings.dkimSelector),
      passwordStored: this.settings.passwordStored || !!password,
      configured: true,
    };
    void dkimPrivateKey;
    return structuredClone(this.settings);
  }

  private testSettings(input: EmailSettingsInput): SmtpTestReport {
    this.checkSettings(input);
    if (this.smtpFailure) return { ok: false, reply: this.smtpFailure, tls: input.security !== "none", authenticated: false };
    return { ok: true, reply: `235 2.7.0 Authentication successful`, tls: input.security !== "none", authenticated: !!input.username };
  }
}

/** A believable set of campaigns for the dev preview: sent, sending, scheduled, drafts. */
export function seedCampaigns(c: FakeCampaigns, segment: { id: string; name: string } | null): { sending: CampaignDetail } {
  const day = 24 * 3600_000;
  const now = Date.now();
  const seg = segment ? { segmentId: segment.id, segmentName: segment.name } : {};
  const sent = c.add({ ...seg, name: "March newsletter", subject: "What's new at Acme in March", status: "sent", createdAt: now - 20 * day, updatedAt: now - 19 * day, startedAt: now - 18 * day, finishedAt: now - 18 * day + 1800_000, html: "<h1>March at Acme</h1><p>Hi {{ contact.first_name }}, here is the news.</p><p><a href=\"https://example.com\">Read more</a></p>" });
  const statuses: RecipientStatus[] = Array.from({ length: 180 }, (_, i) => (i % 37 === 5 ? "failed" : i % 53 === 7 ? "in_doubt" : "sent"));
  c.fillLedger(sent.id, statuses);
  sent.counts = { ...sent.counts, opened: 81, clicked: 23 };
  c.add({ ...seg, name: "Spring sale announcement", subject: "{{ contact.first_name }}, our spring sale starts Monday", status: "scheduled", scheduledAt: now + 3 * day, createdAt: now - 2 * day, updatedAt: now - day });
  const sending = c.add({ ...seg, name: "Product update: v2.4", subject: "New: faster exports and a dark mode", status: "sending", startedAt: now - 120_000, createdAt: now - 3 * day, updatedAt: now - 3 * day });
  c.fillLedger(sending.id, Array.from({ length: 1204 }, (_, i) => (i < 380 ? "sent" : i === 17 ? "failed" : "queued")));
  c.add({ name: "Customer survey", subject: "Two minutes to help us improve?", createdAt: now - 5 * 3600_000, updatedAt: now - 3600_000 });
  c.add({ ...seg, name: "Black Friday teaser (copy)", subject: "Something big is coming", status: "cancelled", createdAt: now - 40 * day, updatedAt: now - 39 * day });
  c.settings = { ...c.settings, host: "smtp.gmail.com", username: "news@acme.example", fromName: "Acme Marketing", fromAddress: "news@acme.example", passwordStored: true, configured: true };
  return { sending };
}
