// The whole filter as one sentence: "Contacts who have any of the tags vip,
// newsletter and (whose last interaction was within the last 30 days or …)".
import type { CustomFieldInfo } from "../../bindings/CustomFieldInfo";
import { countryName, humanize } from "../../lib/format";
import { statusLabel } from "../../lib/status";
import { resolveField, type FieldDef } from "./fields";
import type { DraftGroup, DraftNode, DraftRule } from "./filter";

export type SentenceContext = {
  customFields: readonly CustomFieldInfo[];
  /** Segment id → name. */
  segmentNames: ReadonlyMap<string, string>;
};

/** Stands in for a value not entered yet. */
const MISSING = "…";

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function num(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? numberFormat.format(v) : MISSING;
}

/** "2024-03-01" → "Mar 1, 2024" (a calendar day: no time zone shift). */
function day(v: unknown): string {
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return MISSING;
  return dayFormat.format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

const quote = (v: unknown): string => (typeof v === "string" && v.trim() ? `“${v.trim()}”` : MISSING);

function strings(v: unknown, show: (s: string) => string = (s) => s): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s.trim() !== "").map((s) => show(s.trim())) : [];
}

/** "a", "a or b", "a, b or c". */
function joined(items: string[], word: "or" | "and"): string {
  if (items.length === 0) return MISSING;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

function amount(v: unknown): string {
  const r = v && typeof v === "object" ? (v as { amount?: unknown; unit?: unknown }) : {};
  const unit = typeof r.unit === "string" ? r.unit : "days";
  if (typeof r.amount !== "number" || !Number.isFinite(r.amount)) return `${MISSING} ${unit}`;
  return `${numberFormat.format(r.amount)} ${r.amount === 1 ? unit.replace(/s$/, "") : unit}`;
}

function pair(v: unknown, show: (x: unknown) => string): string {
  const [lo, hi] = Array.isArray(v) ? v : [];
  return `between ${show(lo)} and ${show(hi)}`;
}

const COMPARE: Record<string, string> = {
  eq: "is",
  neq: "is not",
  gt: "is more than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
};

const TEXT: Record<string, string> = {
  eq: "is",
  neq: "is not",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  ends_with: "ends with",
};

/** "is vip", "is one of a or b", "is none of a, b": for `in` and `not_in` lists. */
function membership(op: string, items: string[]): string {
  if (op === "not_in") return items.length === 1 ? `is not ${items[0]}` : `is none of ${joined(items, "and")}`;
  return `is ${joined(items, "or")}`;
}

function emptiness(subject: string, op: string, what: [string, string] = ["is empty", "is not empty"]): string {
  return `${subject} ${op === "is_empty" ? what[0] : what[1]}`;
}

function dateClause(def: FieldDef, rule: DraftRule): string {
  const [subject, verb] =
    def.field === "created_at"
      ? ["who were added", ""]
      : def.field === "last_interaction"
        ? ["whose last interaction", " was"]
        : [`whose ${def.noun}`, " is"];
  const lead = `${subject}${verb}`;
  switch (rule.op) {
    case "before":
      return `${lead} before ${day(rule.value)}`;
    case "after":
      return `${lead} after ${day(rule.value)}`;
    case "between":
      return `${lead} ${pair(rule.value, day)}`;
    case "within_last":
      return `${lead} within the last ${amount(rule.value)}`;
    case "more_than_ago":
      return `${lead} more than ${amount(rule.value)} ago`;
    case "is_empty":
      return def.field === "last_interaction" ? "who have no interactions" : `whose ${def.noun} is not set`;
    case "is_not_empty":
      return def.field === "last_interaction" ? "who have had an interaction" : `whose ${def.noun} is set`;
    default:
      return `${lead} ${rule.op}`;
  }
}

/** One rule as a relative clause: "whose revenue is at least 10,000". */
export function ruleClause(rule: DraftRule, ctx: SentenceContext): string {
  const def = resolveField(rule.field, ctx.customFields);
  const subject = `whose ${def.noun}`;
  const { op, value } = rule;
  switch (def.type) {
    case "text":
      if (op === "is_empty" || op === "is_not_empty") return emptiness(subject, op);
      if (op === "in" || op === "not_in") return `${subject} ${membership(op, strings(value, quote))}`;
      return `${subject} ${TEXT[op] ?? op} ${quote(value)}`;
    case "country": {
      if (op === "is_empty" || op === "is_not_empty") return emptiness(subject, op, ["is not set", "is set"]);
      if (op === "in" || op === "not_in") return `${subject} ${membership(op, strings(value, countryName))}`;
      const name = typeof value === "string" && value ? countryName(value) : MISSING;
      return `${subject} ${op === "neq" ? "is not" : "is"} ${name}`;
    }
    case "tag": {
      const tags = strings(value);
      const list = tags.length === 0 ? MISSING : tags.join(", ");
      if (tags.length === 1) return op === "has_none" ? `who do not have the tag ${list}` : `who have the tag ${list}`;
      const which = op === "has_all" ? "all" : op === "has_none" ? "none" : "any";
      return `who have ${which} of the tags ${list}`;
    }
    case "project_status": {
      if (op === "is_empty") return "who have no projects";
      const statuses = joined(strings(value, (s) => humanize(s).toLowerCase()), "or");
      return op === "not_in" ? `who have no project that is ${statuses}` : `who have a project that is ${statuses}`;
    }
    case "revenue":
    case "number":
      if (op === "is_empty" || op === "is_not_empty") return emptiness(subject, op, ["is not set", "is set"]);
      if (op === "between") return `${subject} is ${pair(value, num)}`;
      return `${subject} ${COMPARE[op] ?? op} ${num(value)}`;
    case "date":
      return dateClause(def, rule);
    case "email_status":
    case "sms_status":
      return `${subject} ${membership(op, strings(value, (s) => statusLabel(s).toLowerCase()))}`;
    case "boolean":
      if (op === "is_empty" || op === "is_not_empty") return emptiness(subject, op, ["is not set", "is set"]);
      return `${subject} is ${op === "is_true" ? "yes" : "no"}`;
    case "segment": {
      const name = typeof value === "string" && value ? ctx.segmentNames.get(value) : undefined;
      const which = name ? `the segment “${name}”` : value ? "a segment that no longer exists" : `the segment ${MISSING}`;
      return op === "not_in" ? `who are not in ${which}` : `who are in ${which}`;
    }
    case "unknown":
      return `whose ${rule.field} ${rule.op} ${value === undefined ? "" : JSON.stringify(value)}`.trimEnd();
  }
}

/** Whether a group has any rule at all, at any depth. */
function hasRules(node: DraftNode): boolean {
  return node.kind === "rule" || node.children.some(hasRules);
}

function groupClause(g: DraftGroup, ctx: SentenceContext, nested: boolean): string {
  const parts = g.children.filter(hasRules).map((c) => (c.kind === "rule" ? ruleClause(c, ctx) : groupClause(c, ctx, true)));
  if (g.match === "none") {
    const inner = parts.join(" or ");
    return nested ? `not (${inner})` : inner;
  }
  const inner = parts.join(g.match === "all" ? " and " : " or ");
  return nested && parts.length > 1 ? `(${inner})` : inner;
}

/** The filter in words; empty groups are left out, missing values read "…". */
export function describeFilter(root: DraftGroup, ctx: SentenceContext): string {
  if (!hasRules(root)) return "All contacts";
  const body = groupClause(root, ctx, false);
  return root.match === "none" ? `Contacts except those ${body}` : `Contacts ${body}`;
}
