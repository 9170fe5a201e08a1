// An in-memory stand-in for the desktop commands in docs/ipc.md, installed
// with Tauri's mockIPC. Component and store tests drive the UI against it, and
// the dev-only preview page (dev/preview.tsx) uses it to show the app in a
// browser. It follows the contract's shapes and rules closely enough for both;
// the real parsers live in Rust and are tested there.
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { CommandError } from "../src/bindings/CommandError";
import type { ConsentEventView } from "../src/bindings/ConsentEventView";
import type { ContactDetail } from "../src/bindings/ContactDetail";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { ContactListQuery } from "../src/bindings/ContactListQuery";
import type { ContactPage } from "../src/bindings/ContactPage";
import type { ContactRow } from "../src/bindings/ContactRow";
import type { FieldCheck } from "../src/bindings/FieldCheck";
import type { ImportPreview } from "../src/bindings/ImportPreview";
import type { ImportRequest } from "../src/bindings/ImportRequest";
import type { ImportRowError } from "../src/bindings/ImportRowError";
import type { ImportSummary } from "../src/bindings/ImportSummary";
import type { SettingOptions } from "../src/bindings/SettingOptions";
import type { TagCount } from "../src/bindings/TagCount";
import type { WorkspaceInfo } from "../src/bindings/WorkspaceInfo";
import type { WorkspaceSettingsInput } from "../src/bindings/WorkspaceSettingsInput";
import { COUNTRY_CODES } from "../src/lib/countries";

export type Call = { cmd: string; args: unknown; headers?: Record<string, string> };
type Handler = (args: Record<string, unknown>) => unknown;

export function commandError(kind: CommandError["kind"], message: string, field: string | null = null): CommandError {
  return { kind, message, field };
}

const COUNTRIES: Record<string, string> = {
  GB: "GB", UK: "GB", "UNITED KINGDOM": "GB", US: "US", USA: "US", "UNITED STATES": "US", DE: "DE", GERMANY: "DE",
  FR: "FR", FRANCE: "FR", ES: "ES", SPAIN: "ES", NL: "NL", NETHERLANDS: "NL", IE: "IE", IRELAND: "IE", CA: "CA",
  CANADA: "CA", AU: "AU", AUSTRALIA: "AU", SE: "SE", SWEDEN: "SE", IT: "IT", ITALY: "IT", PT: "PT", PORTUGAL: "PT",
};

const CALLING: Record<string, string> = { GB: "44", US: "1", DE: "49", FR: "33", ES: "34", NL: "31", IE: "353" };

export function checkField(field: string, raw: string, defaultRegion: string | null): FieldCheck {
  const value = raw.trim();
  if (field === "email") {
    const ok = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
    return ok
      ? { ok, normalized: value.toLowerCase(), message: null }
      : { ok, normalized: null, message: `"${value}" is not an email address` };
  }
  if (field === "phone") {
    const compact = value.replace(/[\s().-]/g, "");
    let e164: string | null = null;
    if (/^\+[1-9]\d{7,14}$/.test(compact)) e164 = compact;
    else if (/^0\d{8,11}$/.test(compact)) {
      if (!defaultRegion) {
        return {
          ok: false,
          normalized: null,
          message: `"${value}" has no country code (+44 …) and the workspace has no default region`,
        };
      }
      e164 = `+${CALLING[defaultRegion] ?? "1"}${compact.slice(1)}`;
    }
    return e164
      ? { ok: true, normalized: e164, message: null }
      : { ok: false, normalized: null, message: `"${value}" is not a valid phone number` };
  }
  const code = COUNTRIES[value.toUpperCase()];
  return code
    ? { ok: true, normalized: code, message: null }
    : { ok: false, normalized: null, message: `"${value}" is not a country we know` };
}

/** A sample of what workspace_setting_options offers (the real lists are every ISO 4217 code and IANA zone). */
export const SETTING_OPTIONS: SettingOptions = {
  currencies: ["AUD", "CAD", "CHF", "DKK", "EUR", "GBP", "JPY", "NOK", "NZD", "PLN", "SEK", "USD"],
  timeZones: [
    "America/Chicago", "America/Los_Angeles", "America/New_York", "America/Toronto", "Asia/Kolkata", "Asia/Singapore",
    "Asia/Tokyo", "Australia/Sydney", "Europe/Amsterdam", "Europe/Berlin", "Europe/Dublin", "Europe/London",
    "Europe/Madrid", "Europe/Paris", "Pacific/Auckland", "UTC",
  ],
};

type Stored = ContactDetail;

export type FakeOptions = {
  name?: string;
  defaultRegion?: string | null;
  /** Milliseconds every command waits before answering (the preview uses a little, to show loading states). */
  latencyMs?: number;
};

const now = () => new Date().toISOString();
let idCounter = 0;
const newId = (prefix: string) => `${prefix}-${(++idCounter).toString(16).padStart(8, "0")}`;

export class FakeBackend {
  contacts: Stored[] = [];
  tagNames: string[] = [];
  projectStatuses = ["lead", "active", "on_hold", "won", "lost"];
  uploads = new Map<string, { name: string; bytes: number[] }>();
  calls: Call[] = [];
  overrides = new Map<string, Handler>();
  info: WorkspaceInfo;
  latencyMs: number;

  constructor(opts: FakeOptions = {}) {
    this.info = {
      path: "/home/user/.local/share/app.herald.desktop/workspace.sqlite3",
      name: opts.name ?? "Acme Marketing",
      contacts: 0,
      defaultRegion: opts.defaultRegion === undefined ? "GB" : opts.defaultRegion,
      defaultCurrency: "GBP",
      timeZone: "Europe/London",
    };
    this.latencyMs = opts.latencyMs ?? 0;
  }

  /** Installs this fake as the IPC backend (with event mocking, for `import-progress`). */
  install(): this {
    mockIPC((cmd, args) => this.dispatch(cmd, args), { shouldMockEvents: true });
    // mockIPC does not pass invoke's options on; keep the headers for import_upload.
    const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: Function } }).__TAURI_INTERNALS__;
    const inner = internals.invoke;
    internals.invoke = (cmd: string, args: unknown, options?: { headers?: Record<string, string> }) => {
      this.pendingHeaders = options?.headers;
      return inner(cmd, args, options);
    };
    return this;
  }

  /** Makes `cmd` answer with `handler` instead (throw a CommandError to make it fail). */
  on(cmd: string, handler: Handler): this {
    this.overrides.set(cmd, handler);
    return this;
  }

  callsOf(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  private pendingHeaders: Record<string, string> | undefined;

  private async dispatch(cmd: string, rawArgs: unknown): Promise<unknown> {
    const headers = this.pendingHeaders;
    this.pendingHeaders = undefined;
    if (cmd.startsWith("plugin:")) return null;
    this.calls.push(headers ? { cmd, args: rawArgs, headers } : { cmd, args: rawArgs });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    const override = this.overrides.get(cmd);
    if (override) return override(args);
    switch (cmd) {
      case "workspace_info":
        return { ...this.info, contacts: this.contacts.length };
      case "app_first_screen_shown":
        return null;
      case "workspace_load_demo":
        return this.loadDemo(args.count as number);
      case "workspace_update_settings":
        return this.updateSettings(args.input as WorkspaceSettingsInput);
      case "workspace_setting_options":
        return structuredClone(SETTING_OPTIONS);
      case "contacts_list":
        return this.list(args.query as ContactListQuery);
      case "contacts_get":
        return this.get(args.id as string);
      case "contacts_create":
        return this.create(args.input as ContactInput);
      case "contacts_update":
        return this.update(args.id as string, args.input as ContactInput);
      case "contacts_check_field":
        return checkField(args.field as string, args.value as string, this.regionFor((args.country as string | null) ?? ""));
      case "contacts_edit_tags":
        return this.editTags(args.id as string, args.add as string[], args.remove as string[]);
      case "contacts_set_status":
        return this.setStatus(args.id as string, args.channel as "email" | "sms", args.status as string);
      case "tags_list":
        return this.tagsList();
      case "interactions_add":
        return this.addInteraction(args);
      case "projects_add":
        return this.addProject(args);
      case "project_statuses_list":
        return [...this.projectStatuses];
      case "import_upload":
        return this.uploadChunk(rawArgs as Uint8Array, headers ?? {});
      case "import_preview":
        return this.preview(args.uploadId as string);
      case "import_run":
        return this.runImport(args.request as ImportRequest);
      case "import_discard":
        this.uploads.delete(args.uploadId as string);
        return null;
      default:
        throw commandError("internal", `unknown command ${cmd}`);
    }
  }

  // ---- contacts ----

  add(partial: Partial<ContactRow> & { email?: string | null }, extra: Partial<ContactDetail> = {}): ContactDetail {
    const first = partial.firstName ?? null;
    const last = partial.lastName ?? null;
    const email = partial.email ?? null;
    const row: ContactRow = {
      id: partial.id ?? newId("c"),
      firstName: first,
      lastName: last,
      displayName: partial.displayName ?? ([first, last].filter(Boolean).join(" ") || email || partial.phone || ""),
      email,
      phone: partial.phone ?? null,
      company: partial.company ?? null,
      city: partial.city ?? null,
      country: partial.country ?? null,
      emailStatus: partial.emailStatus ?? "subscribed",
      smsStatus: partial.smsStatus ?? "subscribed",
      tags: partial.tags ?? [],
      revenueMinor: partial.revenueMinor ?? 0,
      revenueCurrency: partial.revenueCurrency ?? this.info.defaultCurrency,
      createdAt: partial.createdAt ?? now(),
      lastInteractionAt: partial.lastInteractionAt ?? null,
    };
    for (const t of row.tags) this.ensureTag(t);
    const detail: ContactDetail = {
      contact: row,
      region: null,
      custom: {},
      emailConsent: null,
      smsConsent: null,
      updatedAt: row.createdAt,
      consentEvents: [],
      interactions: [],
      projects: [],
      campaigns: [],
      ...extra,
    };
    this.contacts.push(detail);
    return detail;
  }

  private ensureTag(name: string) {
    if (!this.tagNames.some((t) => t.toLowerCase() === name.toLowerCase())) this.tagNames.push(name);
  }

  private find(id: string): Stored {
    const c = this.contacts.find((x) => x.contact.id === id);
    if (!c) throw commandError("not_found", "This contact no longer exists");
    return c;
  }

  private list(q: ContactListQuery): ContactPage {
    const needle = q.search?.toLowerCase() ?? null;
    let rows = this.contacts.map((c) => c.contact);
    rows = rows.filter(
      (r) =>
        (!needle ||
          [r.displayName, r.email, r.company, r.phone].some((v) => v?.toLowerCase().includes(needle))) &&
        (!q.tag || r.tags.some((t) => t.toLowerCase() === q.tag!.toLowerCase())) &&
        (!q.emailStatus || r.emailStatus === q.emailStatus) &&
        (!q.smsStatus || r.smsStatus === q.smsStatus),
    );
    const key = (r: ContactRow): string | number => {
      switch (q.sort) {
        case "name":
          return r.displayName.toLowerCase();
        case "email":
          return r.email ?? "";
        case "company":
          return r.company?.toLowerCase() ?? "";
        case "country":
          return r.country ?? "";
        case "createdAt":
          return r.createdAt;
        case "lastInteractionAt":
          return r.lastInteractionAt ?? "";
        case "revenue":
          return r.revenueMinor;
      }
    };
    const dir = q.direction === "asc" ? 1 : -1;
    rows = [...rows].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return (ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : 1) * dir;
    });
    const start = q.after ? Number(q.after) : 0;
    const items = rows.slice(start, start + q.limit);
    const end = start + items.length;
    return { items, total: rows.length, nextCursor: end < rows.length ? String(end) : null };
  }

  private get(id: string): ContactDetail {
    return structuredClone(this.find(id));
  }

  /** A phone number without +country is read in the contact's country, else the workspace's region. */
  private regionFor(country: string): string | null {
    const c = country.trim() ? checkField("country", country, null) : null;
    return c?.ok ? c.normalized : this.info.defaultRegion;
  }

  private validate(input: ContactInput, selfId: string | null): { email: string | null; phone: string | null; country: string | null } {
    const out = { email: null as string | null, phone: null as string | null, country: null as string | null };
    for (const field of ["email", "phone", "country"] as const) {
      const v = input[field].trim();
      if (!v) continue;
      const check = checkField(field, v, this.regionFor(input.country));
      if (!check.ok) throw commandError("validation", check.message ?? "invalid", field);
      out[field] = check.normalized;
    }
    if (!out.email && !out.phone) throw commandError("validation", "A contact needs an email address or a phone number", "email");
    for (const c of this.contacts) {
      if (c.contact.id === selfId) continue;
      if (out.email && c.contact.email === out.email)
        throw commandError("conflict", `${out.email} already belongs to ${c.contact.displayName}`, "email");
      if (out.phone && c.contact.phone === out.phone)
        throw commandError("conflict", `${out.phone} already belongs to ${c.contact.displayName}`, "phone");
    }
    return out;
  }

  private create(input: ContactInput): ContactDetail {
    const v = this.validate(input, null);
    const d = this.add({
      firstName: input.firstName.trim() || null,
      lastName: input.lastName.trim() || null,
      email: v.email,
      phone: v.phone,
      company: input.company.trim() || null,
      city: input.city.trim() || null,
      country: v.country,
    });
    d.region = input.region.trim() || null;
    return structuredClone(d);
  }

  private update(id: string, input: ContactInput): ContactDetail {
    const c = this.find(id);
    const v = this.validate(input, id);
    const r = c.contact;
    r.firstName = input.firstName.trim() || null;
    r.lastName = input.lastName.trim() || null;
    r.displayName = [r.firstName, r.lastName].filter(Boolean).join(" ") || v.email || v.phone || "";
    r.email = v.email;
    r.phone = v.phone;
    r.company = input.company.trim() || null;
    r.city = input.city.trim() || null;
    r.country = v.country;
    c.region = input.region.trim() || null;
    c.updatedAt = now();
    return structuredClone(c);
  }

  private editTags(id: string, add: string[], remove: string[]): string[] {
    const r = this.find(id).contact;
    for (const t of add) {
      if (!/^[\p{L}\p{N} _-]{1,40}$/u.test(t)) throw commandError("validation", `"${t}" is not a valid tag name`, "tags");
    }
    const lower = remove.map((t) => t.toLowerCase());
    r.tags = r.tags.filter((t) => !lower.includes(t.toLowerCase()));
    for (const t of add) {
      if (!r.tags.some((x) => x.toLowerCase() === t.toLowerCase())) r.tags.push(t);
      this.ensureTag(t);
    }
    return [...r.tags];
  }

  private setStatus(id: string, channel: "email" | "sms", status: string): ContactDetail {
    const c = this.find(id);
    const at = now();
    const event: ConsentEventView = {
      id: newId("e"),
      channel,
      action: status === "subscribed" ? "granted" : "withdrawn",
      status,
      source: "herald app",
      method: "manual",
      at,
    };
    c.consentEvents.push(event);
    if (channel === "email") c.contact.emailStatus = status as ContactRow["emailStatus"];
    else c.contact.smsStatus = status as ContactRow["smsStatus"];
    if (status === "subscribed") {
      const consent = { at, source: "herald app", method: "manual" };
      if (channel === "email") c.emailConsent = consent;
      else c.smsConsent = consent;
    }
    return structuredClone(c);
  }

  private tagsList(): TagCount[] {
    return this.tagNames.map((name, i) => ({
      id: `t-${i}`,
      name,
      contacts: this.contacts.filter((c) => c.contact.tags.some((t) => t.toLowerCase() === name.toLowerCase())).length,
    }));
  }

  private addInteraction(args: Record<string, unknown>): ContactDetail {
    const c = this.find(args.contactId as string);
    const summary = (args.summary as string).trim();
    if (!summary) throw commandError("validation", "Write a short summary", "summary");
    const occurredAt = new Date(args.occurredAt as string).toISOString();
    c.interactions.unshift({ id: newId("i"), kind: args.kind as string, occurredAt, summary });
    c.interactions.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1));
    c.contact.lastInteractionAt = c.interactions[0]!.occurredAt;
    return structuredClone(c);
  }

  private addProject(args: Record<string, unknown>): ContactDetail {
    const c = this.find(args.contactId as string);
    const name = (args.name as string).trim();
    if (!name) throw commandError("validation", "Give the project a name", "name");
    const value = (args.value as string).trim() || "0";
    if (!/^\d+(\.\d{1,2})?$/.test(value)) throw commandError("validation", `"${value}" is not an amount`, "value");
    c.projects.push({
      id: newId("p"),
      name,
      status: args.status as string,
      valueMinor: Math.round(Number(value) * 100),
      currency: this.info.defaultCurrency,
    });
    return structuredClone(c);
  }

  // ---- settings ----

  /** Like the backend: every value is checked first, and nothing changes unless all are valid. */
  private updateSettings(input: WorkspaceSettingsInput): WorkspaceInfo {
    const name = input.name.trim();
    if (!name) throw commandError("validation", "the workspace needs a name", "name");
    if ([...name].length > 80) throw commandError("validation", "a workspace name is at most 80 characters", "name");
    const rawRegion = input.defaultRegion.trim();
    const region = rawRegion.toUpperCase();
    if (rawRegion && !COUNTRY_CODES.includes(region)) {
      throw commandError("validation", `"${rawRegion}" is not a country: use an ISO 3166-1 alpha-2 code such as US or DE`, "defaultRegion");
    }
    const currency = input.defaultCurrency.trim().toUpperCase();
    if (!SETTING_OPTIONS.currencies.includes(currency)) {
      throw commandError(
        "validation",
        `"${input.defaultCurrency.trim()}" is not a currency: use an ISO 4217 code such as USD or EUR`,
        "defaultCurrency",
      );
    }
    const zone = input.timeZone.trim();
    if (!SETTING_OPTIONS.timeZones.includes(zone)) {
      throw commandError("validation", `"${zone}" is not a time zone; use an IANA name such as Europe/Berlin`, "timeZone");
    }
    this.info = { ...this.info, name, defaultRegion: rawRegion ? region : null, defaultCurrency: currency, timeZone: zone };
    return { ...this.info, contacts: this.contacts.length };
  }

  // ---- demo data ----

  private loadDemo(count: number) {
    if (this.contacts.length > 0) throw commandError("conflict", "The workspace already has contacts");
    seedDemo(this, count);
    return {
      contacts: count,
      interactions: this.contacts.reduce((n, c) => n + c.interactions.length, 0),
      projects: this.contacts.reduce((n, c) => n + c.projects.length, 0),
    };
  }

  // ---- import ----

  private uploadChunk(body: Uint8Array, headers: Record<string, string>): string {
    let id = headers["x-upload-id"] ?? "";
    if (!id) {
      id = newId("u");
      this.uploads.set(id, { name: decodeURIComponent(headers["x-file-name"] ?? "upload.csv"), bytes: [] });
    }
    const upload = this.uploads.get(id);
    if (!upload) throw commandError("not_found", "This upload has expired; choose the file again");
    for (const b of body) upload.bytes.push(b);
    return id;
  }

  private parsed(uploadId: string) {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw commandError("not_found", "This upload has expired; choose the file again");
    const text = new TextDecoder().decode(new Uint8Array(upload.bytes)).replace(/^\uFEFF/, "");
    const lines = text.split(/\r?\n/);
    const headers = splitCsvLine(lines[0] ?? "");
    const rows: { line: number; cells: string[] }[] = [];
    lines.slice(1).forEach((l, i) => {
      if (l.trim() !== "") rows.push({ line: i + 2, cells: splitCsvLine(l) });
    });
    return { upload, headers, rows, bytes: upload.bytes.length };
  }

  private preview(uploadId: string): ImportPreview {
    const { upload, headers, rows, bytes } = this.parsed(uploadId);
    if (headers.length === 0 || headers.every((h) => h === "")) throw commandError("validation", "The file is empty");
    return {
      uploadId,
      fileName: upload.name,
      headers,
      sampleRows: rows.slice(0, 10).map((r) => r.cells),
      columns: headers.map((header) => ({ header, field: detectField(header) })),
      encoding: "UTF-8",
      delimiter: ",",
      totalBytes: bytes,
    };
  }

  private async runImport(req: ImportRequest): Promise<ImportSummary> {
    const { headers, rows, bytes } = this.parsed(req.uploadId);
    const fields = headers.map((h) => req.mappings.find((m) => m.header === h)?.field ?? "ignore");
    const errors: ImportRowError[] = [];
    const duplicates: { line: number; firstLine: number }[] = [];
    const seen = new Map<string, number>();
    let imported = 0;
    let updated = 0;
    const toCreate: Partial<ContactRow>[] = [];
    rows.forEach(({ line, cells }, i) => {
      if (cells.length !== headers.length) {
        errors.push({ line, column: "*", reason: `expected ${headers.length} columns, found ${cells.length}` });
        return;
      }
      const rec: Partial<ContactRow> = { tags: [...req.tags] };
      let bad = false;
      fields.forEach((field, col) => {
        const cell = cells[col]!.trim();
        if (!cell) return;
        if (field === "email" || field === "phone" || field === "country") {
          const check = checkField(field, cell, this.info.defaultRegion);
          if (!check.ok) {
            errors.push({ line, column: headers[col]!, reason: check.message ?? "invalid" });
            bad = true;
          } else rec[field] = check.normalized;
        } else if (field === "first_name") rec.firstName = cell;
        else if (field === "last_name") rec.lastName = cell;
        else if (field === "company") rec.company = cell;
        else if (field === "city") rec.city = cell;
      });
      if (bad) return;
      if (!rec.email && !rec.phone) {
        errors.push({ line, column: "*", reason: "no email or phone" });
        return;
      }
      const key = (rec.email ?? rec.phone)!;
      const first = seen.get(key);
      if (first !== undefined) {
        duplicates.push({ line, firstLine: first });
        return;
      }
      seen.set(key, line);
      if (this.contacts.some((c) => c.contact.email === rec.email && rec.email)) updated++;
      else {
        imported++;
        toCreate.push(rec);
      }
      if (!req.dryRun && (i + 1) % 2 === 0) {
        void emit("import-progress", {
          uploadId: req.uploadId,
          bytes: Math.round((bytes * (i + 1)) / rows.length),
          totalBytes: bytes,
          rows: i + 1,
        });
      }
    });
    if (!req.dryRun) {
      await emit("import-progress", { uploadId: req.uploadId, bytes, totalBytes: bytes, rows: rows.length });
      for (const rec of toCreate) this.add(rec);
      this.uploads.delete(req.uploadId);
    }
    return { imported, updated, unchanged: 0, skipped: errors.length, duplicates, errors, dryRun: req.dryRun };
  }
}

const SYNONYMS: Record<string, string> = {
  email: "email", emailaddress: "email", "e-mail": "email", mail: "email",
  firstname: "first_name", "first name": "first_name", givenname: "first_name",
  lastname: "last_name", "last name": "last_name", surname: "last_name",
  name: "name", fullname: "name", phone: "phone", mobile: "phone", phonenumber: "phone",
  company: "company", organization: "company", city: "city", country: "country", tags: "tags",
  state: "region", region: "region",
};

function detectField(header: string): string {
  const key = header.toLowerCase().replace(/[^a-z]/g, "");
  return SYNONYMS[key] ?? `custom.${header.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

// ---- deterministic demo data ----

const FIRST = ["Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Ava", "Elijah", "Mia", "Lucas", "Sofia", "Mateo",
  "Freya", "Arthur", "Chloé", "Hugo", "Lena", "Jonas", "Priya", "Arjun", "Yuki", "Kenji", "Zara", "Omar"];
const LAST = ["Smith", "García", "Müller", "Dubois", "Rossi", "Jensen", "Novak", "Kowalski", "Silva", "O'Brien",
  "Patel", "Tanaka", "Nguyen", "Hughes", "Walsh", "Fischer", "Moreau", "Bianchi", "Larsen", "Evans"];
const COMPANIES = ["Northwind Traders", "Bluebird Studio", "Kettle & Co", "Lumen Analytics", "Harbour Bikes",
  "Oakridge Dental", "Pinecone Press", "Solaris Energy", "Copper Fox Café", "Atlas Logistics", null, null];
const PLACES: [string, string][] = [["London", "GB"], ["Manchester", "GB"], ["Dublin", "IE"], ["Berlin", "DE"],
  ["Paris", "FR"], ["Madrid", "ES"], ["Amsterdam", "NL"], ["New York", "US"], ["Toronto", "CA"], ["Lisbon", "PT"]];
const TAGS = ["newsletter", "customer", "vip", "webinar-2024", "trial", "partner", "event-lead"];
const SUMMARIES = ["Intro call about the spring campaign", "Sent the pricing PDF", "Met at the trade fair",
  "Asked for a product demo", "Renewed the annual plan", "Follow-up on the onboarding email"];

export function seedDemo(fake: FakeBackend, count: number): void {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2025, 5, 1) - start;
  for (let i = 0; i < count; i++) {
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const [city, country] = pick(PLACES);
    const created = new Date(start + rnd() * span).toISOString();
    const slug = `${firstName}.${lastName}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "");
    const tags = TAGS.filter(() => rnd() < 0.22);
    const interacted = rnd() < 0.6 ? new Date(Date.parse(created) + rnd() * 1.5e10).toISOString() : null;
    const r = rnd();
    const emailStatus = r < 0.82 ? "subscribed" : r < 0.93 ? "unsubscribed" : r < 0.98 ? "bounced" : "complained";
    const consentAt = created;
    const d = fake.add(
      {
        firstName,
        lastName,
        email: `${slug}${i}@example.com`,
        phone: rnd() < 0.7 ? `+4477009${String(100000 + i).slice(-6)}` : null,
        company: pick(COMPANIES),
        city,
        country,
        tags,
        emailStatus,
        smsStatus: rnd() < 0.85 ? "subscribed" : "opted_out",
        revenueMinor: rnd() < 0.5 ? Math.round(rnd() * 2_000_000) : 0,
        createdAt: created,
        lastInteractionAt: interacted,
      },
      {
        emailConsent: { at: consentAt, source: "website form", method: "double opt-in" },
        custom: rnd() < 0.5 ? { plan: pick(["starter", "team", "business"]), newsletter_issue: Math.floor(rnd() * 40) } : {},
        consentEvents: [
          { id: newId("e"), channel: "email", action: "granted", status: "subscribed", source: "website form", method: "double opt-in", at: consentAt },
          ...(emailStatus !== "subscribed"
            ? [{ id: newId("e"), channel: "email" as const, action: "withdrawn" as const, status: emailStatus, source: "unsubscribe link", method: "link", at: interacted ?? created }]
            : []),
        ],
        interactions: interacted
          ? [
              { id: newId("i"), kind: "meeting", occurredAt: interacted, summary: pick(SUMMARIES) },
              { id: newId("i"), kind: "email", occurredAt: created, summary: "Welcome email sent" },
            ]
          : [],
        projects: rnd() < 0.3
          ? [{ id: newId("p"), name: `${pick(["Website", "Spring", "Loyalty", "Rebrand"])} project`, status: pick(fake.projectStatuses), valueMinor: Math.round(rnd() * 900_000), currency: "GBP" }]
          : [],
      },
    );
    d.region = null;
  }
}
