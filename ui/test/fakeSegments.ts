// The segments_* commands of docs/ipc.md over a FakeBackend's contacts, for
// component and store tests and the dev preview page. The filter engine here
// is a small stand-in for the real one in Rust, enough to give believable
// counts and the contract's errors.
import type { ContactDetail } from "../src/bindings/ContactDetail";
import type { ContactRow } from "../src/bindings/ContactRow";
import type { CustomFieldInfo } from "../src/bindings/CustomFieldInfo";
import type { FilterIssue } from "../src/bindings/FilterIssue";
import type { SegmentDetail } from "../src/bindings/SegmentDetail";
import type { SegmentInput } from "../src/bindings/SegmentInput";
import type { SegmentPreview } from "../src/bindings/SegmentPreview";
import type { SegmentPreviewQuery } from "../src/bindings/SegmentPreviewQuery";
import type { SegmentSummary } from "../src/bindings/SegmentSummary";
import { commandError, type FakeBackend } from "./fakeBackend";

type Json = Record<string, unknown>;

/** The filter of the brief: tags, a nested "any", revenue, a custom field and a "none". */
export const EXAMPLE_FILTER = {
  all: [
    { field: "tag", op: "has_any", value: ["vip", "newsletter"] },
    {
      any: [
        { field: "last_interaction", op: "within_last", value: { amount: 30, unit: "days" } },
        { field: "project_status", op: "in", value: ["active", "won"] },
      ],
    },
    { field: "revenue", op: "gte", value: 10000 },
    { field: "custom.plan", op: "eq", value: "pro" },
    { none: [{ field: "country", op: "eq", value: "US" }] },
  ],
};

const GROUP_KEYS = ["all", "any", "none"] as const;
const TEXT_FIELDS: Record<string, keyof ContactRow | "region"> = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  company: "company",
  city: "city",
  region: "region",
  phone: "phone",
};
const TEXT_OPS = ["eq", "neq", "contains", "not_contains", "starts_with", "ends_with", "in", "not_in", "is_empty", "is_not_empty"];
const NUM_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "between"];
const DATE_OPS = ["before", "after", "between", "within_last", "more_than_ago", "is_empty", "is_not_empty"];
const VALUELESS = ["is_empty", "is_not_empty", "is_true", "is_false"];
const DAY_MS = 86_400_000;
const UNIT_DAYS: Record<string, number> = { days: 1, weeks: 7, months: 30, years: 365 };

function groupOf(node: Json): [string, Json[]] | null {
  for (const k of GROUP_KEYS) if (Array.isArray(node[k])) return [k, node[k] as Json[]];
  return null;
}

let idCounter = 0;

export class FakeSegments {
  segments: SegmentDetail[] = [];
  /** When set, `segments_custom_fields` answers this instead of the keys the contacts carry. */
  customFields: CustomFieldInfo[] | null = null;
  /** The date "today" is for relative date rules. */
  now = Date.parse("2025-06-15T12:00:00Z");

  constructor(private fake: FakeBackend) {}

  /** Adds the segment commands to `fake`. */
  install(): this {
    const f = this.fake;
    f.on("segments_list", () => this.list());
    f.on("segments_get", (a) => structuredClone(this.find(a.id as string)));
    f.on("segments_create", (a) => this.create(a.input as SegmentInput));
    f.on("segments_update", (a) => this.update(a.id as string, a.input as SegmentInput));
    f.on("segments_duplicate", (a) => this.duplicate(a.id as string));
    f.on("segments_delete", (a) => this.remove(a.id as string));
    f.on("segments_check", (a) => this.check(a.filter, (a.editing as string | null) ?? null));
    f.on("segments_preview", (a) => this.preview(a.query as SegmentPreviewQuery));
    f.on("segments_count", (a) => ({ count: this.matching(this.find(a.id as string).filter).length, elapsedMs: 2 }));
    f.on("segments_custom_fields", () => this.customFieldList());
    return this;
  }

  /** Stores a segment directly (its count is computed unless given). */
  add(partial: Partial<SegmentDetail> & { name: string }): SegmentDetail {
    const filter = partial.filter ?? { all: [] };
    const at = partial.updatedAt ?? new Date(this.now).toISOString();
    const s: SegmentDetail = {
      id: partial.id ?? `s-${++idCounter}`,
      name: partial.name,
      description: partial.description ?? null,
      filter,
      count: partial.count !== undefined ? partial.count : this.matching(filter).length,
      countFresh: partial.countFresh ?? true,
      createdAt: partial.createdAt ?? at,
      updatedAt: at,
      usedBy: [],
    };
    this.segments.push(s);
    return s;
  }

  private find(id: string): SegmentDetail {
    const s = this.segments.find((x) => x.id === id);
    if (!s) throw commandError("not_found", "This segment no longer exists");
    s.usedBy = this.users(id).map((u) => u.name);
    return s;
  }

  private users(id: string): SegmentDetail[] {
    return this.segments.filter((s) => s.id !== id && JSON.stringify(s.filter).includes(`"value":"${id}"`));
  }

  private list(): SegmentSummary[] {
    return [...this.segments]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ id, name, description, count, countFresh, updatedAt }) => ({ id, name, description, count, countFresh, updatedAt }));
  }

  private validate(input: SegmentInput, selfId: string | null) {
    const name = input.name.trim();
    if (!name) throw commandError("validation", "Give the segment a name", "name");
    if (this.segments.some((s) => s.id !== selfId && s.name.toLowerCase() === name.toLowerCase()))
      throw commandError("conflict", `There is already a segment named “${name}”`, "name");
    const issues = this.check(input.filter, selfId);
    if (issues.length > 0) {
      const [first] = issues;
      throw commandError("validation", first!.message, first!.path ? `filter.${first!.path}` : "filter");
    }
    return name;
  }

  private create(input: SegmentInput): SegmentDetail {
    const name = this.validate(input, null);
    const s = this.add({ name, description: input.description.trim() || null, filter: structuredClone(input.filter) });
    return structuredClone(s);
  }

  private update(id: string, input: SegmentInput): SegmentDetail {
    const s = this.find(id);
    s.name = this.validate(input, id);
    s.description = input.description.trim() || null;
    s.filter = structuredClone(input.filter);
    s.count = this.matching(s.filter).length;
    s.countFresh = true;
    s.updatedAt = new Date(this.now).toISOString();
    return structuredClone(s);
  }

  private duplicate(id: string): SegmentDetail {
    const s = this.find(id);
    return structuredClone(this.add({ name: `${s.name} (copy)`, description: s.description, filter: structuredClone(s.filter), count: s.count }));
  }

  private remove(id: string): null {
    this.find(id);
    const users = this.users(id);
    if (users.length > 0) {
      throw commandError(
        "conflict",
        `This segment is used by ${users.map((u) => `“${u.name}”`).join(", ")}; change or delete ${users.length === 1 ? "it" : "them"} first`,
      );
    }
    this.segments = this.segments.filter((s) => s.id !== id);
    return null;
  }

  private customFieldList(): CustomFieldInfo[] {
    if (this.customFields) return this.customFields;
    const kinds = new Map<string, CustomFieldInfo["kind"]>();
    for (const c of this.fake.contacts) {
      for (const [key, v] of Object.entries(c.custom)) {
        if (!kinds.has(key)) kinds.set(key, typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "text");
      }
    }
    return [...kinds].map(([key, kind]) => ({ key, kind }));
  }

  // ---- checking ----

  check(filter: unknown, selfId: string | null = null): FilterIssue[] {
    const issues: FilterIssue[] = [];
    const custom = new Map(this.customFieldList().map((c) => [c.key, c.kind]));
    const walk = (node: unknown, path: string, depth: number) => {
      const n = (node ?? {}) as Json;
      const group = groupOf(n);
      if (group) {
        if (depth > 8) issues.push({ path, message: "Groups can be nested at most 8 deep" });
        group[1].forEach((c, i) => walk(c, path ? `${path}.${group[0]}[${i}]` : `${group[0]}[${i}]`, depth + 1));
        return;
      }
      const problem = this.ruleProblem(n, custom, selfId);
      if (problem) issues.push({ path, message: problem });
    };
    if (!filter || typeof filter !== "object" || !groupOf(filter as Json)) return [{ path: "", message: "A filter is a group" }];
    walk(filter, "", 1);
    return issues;
  }

  private ruleProblem(r: Json, custom: Map<string, string>, selfId: string | null): string | null {
    const field = r.field as string;
    const op = r.op as string;
    let ops: string[];
    if (field in TEXT_FIELDS) ops = TEXT_OPS;
    else if (field === "country") ops = ["eq", "neq", "in", "not_in", "is_empty", "is_not_empty"];
    else if (field === "tag") ops = ["has_any", "has_all", "has_none"];
    else if (field === "project_status") ops = ["in", "not_in", "is_empty"];
    else if (field === "revenue") ops = NUM_OPS;
    else if (field === "created_at" || field === "last_interaction") ops = DATE_OPS;
    else if (field === "email_status" || field === "sms_status" || field === "segment") ops = ["in", "not_in"];
    else if (field?.startsWith("custom.")) {
      const kind = custom.get(field.slice(7));
      if (!kind) return `No contact has a custom field “${field.slice(7)}”`;
      ops = kind === "number" ? [...NUM_OPS, "is_empty", "is_not_empty"] : kind === "date" ? DATE_OPS : kind === "boolean" ? VALUELESS : TEXT_OPS;
    } else return `Unknown field “${field}”`;
    if (!ops.includes(op)) return `“${op}” does not apply to ${field}`;
    if (VALUELESS.includes(op)) return null;
    const v = r.value;
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) return "This rule needs a value";
    if (op === "between" && Array.isArray(v) && (v[0] as number) > (v[1] as number)) return "The first number must not be larger than the second";
    if (field === "segment") {
      if (v === selfId) return "A segment cannot include itself";
      if (!this.segments.some((s) => s.id === v)) return "This segment no longer exists";
    }
    return null;
  }

  // ---- matching ----

  matching(filter: unknown): ContactDetail[] {
    return this.fake.contacts.filter((c) => this.test(filter as Json, c, 0));
  }

  private test(node: Json, c: ContactDetail, depth: number): boolean {
    const group = groupOf(node);
    if (group) {
      const [key, children] = group;
      const results = children.map((ch) => this.test(ch, c, depth + 1));
      return key === "all" ? results.every(Boolean) : key === "any" ? results.some(Boolean) : !results.some(Boolean);
    }
    return this.testRule(node, c, depth);
  }

  private testRule(r: Json, c: ContactDetail, depth: number): boolean {
    const field = r.field as string;
    const op = r.op as string;
    const v = r.value;
    const row = c.contact;
    if (field === "tag") {
      const have = row.tags.map((t) => t.toLowerCase());
      const want = (v as string[]).map((t) => t.toLowerCase());
      if (op === "has_all") return want.every((t) => have.includes(t));
      const any = want.some((t) => have.includes(t));
      return op === "has_none" ? !any : any;
    }
    if (field === "project_status") {
      if (op === "is_empty") return c.projects.length === 0;
      const any = c.projects.some((p) => (v as string[]).includes(p.status));
      return op === "in" ? any : !any;
    }
    if (field === "email_status" || field === "sms_status") {
      const status = field === "email_status" ? row.emailStatus : row.smsStatus;
      return (v as string[]).includes(status) === (op === "in");
    }
    if (field === "segment") {
      const s = this.segments.find((x) => x.id === v);
      const inside = s && depth < 16 ? this.test(s.filter as Json, c, depth + 1) : false;
      return op === "in" ? inside : !inside;
    }
    if (field === "revenue") return compareNumber(op, row.revenueMinor / 100, v);
    if (field === "created_at" || field === "last_interaction") {
      return this.compareDate(op, field === "created_at" ? row.createdAt : row.lastInteractionAt, v);
    }
    let actual: unknown;
    if (field in TEXT_FIELDS) actual = field === "region" ? c.region : row[TEXT_FIELDS[field] as keyof ContactRow];
    else if (field === "country") actual = row.country;
    else if (field.startsWith("custom.")) actual = c.custom[field.slice(7)];
    if (op === "is_empty") return actual === null || actual === undefined || actual === "";
    if (op === "is_not_empty") return !(actual === null || actual === undefined || actual === "");
    if (op === "is_true") return actual === true;
    if (op === "is_false") return actual === false;
    if (typeof actual === "number") return compareNumber(op, actual, v);
    const a = String(actual ?? "").toLowerCase();
    const list = Array.isArray(v) ? v.map((x) => String(x).toLowerCase()) : [];
    const s = String(v ?? "").toLowerCase();
    switch (op) {
      case "eq":
        return a === s;
      case "neq":
        return a !== s;
      case "contains":
        return a.includes(s);
      case "not_contains":
        return !a.includes(s);
      case "starts_with":
        return a.startsWith(s);
      case "ends_with":
        return a.endsWith(s);
      case "in":
        return list.includes(a);
      case "not_in":
        return !list.includes(a);
      default:
        return false;
    }
  }

  private compareDate(op: string, iso: string | null, v: unknown): boolean {
    if (op === "is_empty") return iso === null;
    if (op === "is_not_empty") return iso !== null;
    if (iso === null) return false;
    const t = Date.parse(iso);
    const day = (d: unknown) => Date.parse(`${String(d)}T00:00:00Z`);
    if (op === "before") return t < day(v);
    if (op === "after") return t >= day(v) + DAY_MS;
    if (op === "between") return t >= day((v as string[])[0]) && t < day((v as string[])[1]) + DAY_MS;
    const rel = v as { amount: number; unit: string };
    const edge = this.now - rel.amount * (UNIT_DAYS[rel.unit] ?? 1) * DAY_MS;
    return op === "within_last" ? t >= edge : t < edge;
  }

  // ---- preview ----

  private preview(q: SegmentPreviewQuery): SegmentPreview {
    const issues = this.check(q.filter);
    if (issues.length > 0) {
      const [first] = issues;
      throw commandError("validation", first!.message, first!.path ? `filter.${first!.path}` : "filter");
    }
    const key = (r: ContactRow): string | number =>
      q.sort === "name" ? r.displayName.toLowerCase() : q.sort === "revenue" ? r.revenueMinor : q.sort === "createdAt" ? r.createdAt : (r.lastInteractionAt ?? "");
    const dir = q.direction === "asc" ? 1 : -1;
    const rows = this.matching(q.filter)
      .map((c) => c.contact)
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return (ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : 1) * dir;
      });
    const start = q.after ? Number(q.after) : 0;
    const items = rows.slice(start, start + q.limit);
    const end = start + items.length;
    return { count: rows.length, items, nextCursor: end < rows.length ? String(end) : null, elapsedMs: 4, ticket: q.ticket };
  }
}

function compareNumber(op: string, actual: number, v: unknown): boolean {
  const n = v as number;
  switch (op) {
    case "eq":
      return actual === n;
    case "neq":
      return actual !== n;
    case "gt":
      return actual > n;
    case "gte":
      return actual >= n;
    case "lt":
      return actual < n;
    case "lte":
      return actual <= n;
    case "between":
      return actual >= (v as number[])[0]! && actual <= (v as number[])[1]!;
    default:
      return false;
  }
}
