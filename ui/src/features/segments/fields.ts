// What the builder offers: the fields a rule can test, the operators each
// kind of field takes, and the value each operator needs.
import type { CustomFieldInfo } from "../../bindings/CustomFieldInfo";
import { humanize } from "../../lib/format";
import type { DraftValue, RelativeUnit } from "./filter";

export type FieldType =
  | "text"
  | "country"
  | "tag"
  | "project_status"
  | "revenue"
  | "date"
  | "email_status"
  | "sms_status"
  | "number"
  | "boolean"
  | "segment"
  /** A field this UI does not know (from a newer version, say): shown, kept, not editable. */
  | "unknown";

export type FieldDef = {
  field: string;
  label: string;
  /** The heading it is listed under in the field picker. */
  group: string;
  type: FieldType;
  /** How the sentence names it: "first name", "plan". */
  noun: string;
};

export const FIELD_GROUPS = [
  "Contact text fields",
  "Location",
  "Tags & projects",
  "Dates",
  "Revenue",
  "Status",
  "Custom fields",
  "Segments",
] as const;

const def = (field: string, label: string, group: (typeof FIELD_GROUPS)[number], type: FieldType, noun = label.toLowerCase()): FieldDef => ({
  field,
  label,
  group,
  type,
  noun,
});

/** Engagement fields (opened, clicked) exist in the engine but are not offered until campaigns do. */
export const BUILTIN_FIELDS: readonly FieldDef[] = [
  def("first_name", "First name", "Contact text fields", "text"),
  def("last_name", "Last name", "Contact text fields", "text"),
  def("email", "Email", "Contact text fields", "text"),
  def("phone", "Phone", "Contact text fields", "text"),
  def("company", "Company", "Contact text fields", "text"),
  def("city", "City", "Location", "text"),
  def("region", "State / region", "Location", "text", "region"),
  def("country", "Country", "Location", "country"),
  def("tag", "Tags", "Tags & projects", "tag", "tags"),
  def("project_status", "Project status", "Tags & projects", "project_status"),
  def("created_at", "Date added", "Dates", "date", "date added"),
  def("last_interaction", "Last interaction", "Dates", "date"),
  def("revenue", "Revenue", "Revenue", "revenue"),
  def("email_status", "Email status", "Status", "email_status"),
  def("sms_status", "SMS status", "Status", "sms_status", "SMS status"),
  def("segment", "Segment", "Segments", "segment"),
];

/** The field a new rule starts with. */
export const DEFAULT_FIELD = "tag";

const CUSTOM_TYPES: Record<CustomFieldInfo["kind"], FieldType> = { text: "text", number: "number", date: "date", boolean: "boolean" };

export function customFieldDef(info: CustomFieldInfo): FieldDef {
  return def(`custom.${info.key}`, info.key, "Custom fields", CUSTOM_TYPES[info.kind], humanize(info.key).toLowerCase());
}

/** Every field the picker offers, in picker order. */
export function fieldCatalogue(custom: readonly CustomFieldInfo[]): FieldDef[] {
  const customs = [...custom].sort((a, b) => a.key.localeCompare(b.key)).map(customFieldDef);
  const segment = BUILTIN_FIELDS.filter((f) => f.type === "segment");
  return [...BUILTIN_FIELDS.filter((f) => f.type !== "segment"), ...customs, ...segment];
}

/**
 * The definition of `field`. A custom field missing from `custom` (no contact
 * has it any more) is treated as text; an unknown field is "unknown".
 */
export function resolveField(field: string, custom: readonly CustomFieldInfo[]): FieldDef {
  const builtin = BUILTIN_FIELDS.find((f) => f.field === field);
  if (builtin) return builtin;
  if (field.startsWith("custom.")) {
    const key = field.slice("custom.".length);
    return customFieldDef(custom.find((c) => c.key === key) ?? { key, kind: "text" });
  }
  return { field, label: field, group: "Other", type: "unknown", noun: field };
}

const TEXT_OPS = ["eq", "neq", "contains", "not_contains", "starts_with", "ends_with", "in", "not_in", "is_empty", "is_not_empty"];
const NUMBER_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "between"];
const DATE_OPS = ["before", "after", "between", "within_last", "more_than_ago", "is_empty", "is_not_empty"];

/** The operators each type takes; the first is what a rule starts with when its field changes. */
export const OPERATORS: Record<Exclude<FieldType, "unknown">, readonly string[]> = {
  text: TEXT_OPS,
  country: ["eq", "neq", "in", "not_in", "is_empty", "is_not_empty"],
  tag: ["has_any", "has_all", "has_none"],
  project_status: ["in", "not_in", "is_empty"],
  revenue: NUMBER_OPS,
  number: [...NUMBER_OPS, "is_empty", "is_not_empty"],
  date: DATE_OPS,
  email_status: ["in", "not_in"],
  sms_status: ["in", "not_in"],
  boolean: ["is_true", "is_false", "is_empty", "is_not_empty"],
  segment: ["in", "not_in"],
};

export function operatorsFor(type: FieldType, current?: string): readonly string[] {
  if (type === "unknown") return current ? [current] : [];
  return OPERATORS[type];
}

const OP_LABELS: Record<string, string> = {
  eq: "is",
  neq: "is not",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  ends_with: "ends with",
  in: "is any of",
  not_in: "is none of",
  is_empty: "is empty",
  is_not_empty: "is not empty",
  gt: "is more than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  between: "is between",
  before: "is before",
  after: "is after",
  within_last: "is within the last",
  more_than_ago: "is more than … ago",
  has_any: "has any of",
  has_all: "has all of",
  has_none: "has none of",
  is_true: "is yes",
  is_false: "is no",
};

const TYPE_OP_LABELS: Partial<Record<FieldType, Record<string, string>>> = {
  country: { is_empty: "is not set", is_not_empty: "is set" },
  project_status: { in: "has a project that is", not_in: "has no project that is", is_empty: "has no projects" },
  number: { is_empty: "is not set", is_not_empty: "is set" },
  date: { is_empty: "is not set", is_not_empty: "is set" },
  boolean: { is_empty: "is not set", is_not_empty: "is set" },
  segment: { in: "is in", not_in: "is not in" },
};

export function operatorLabel(type: FieldType, op: string): string {
  return TYPE_OP_LABELS[type]?.[op] ?? OP_LABELS[op] ?? op;
}

/** The input a rule's value needs. */
export type ValueKind =
  | "none"
  | "text"
  | "textList"
  | "country"
  | "countryList"
  | "tags"
  | "projectStatuses"
  | "emailStatuses"
  | "smsStatuses"
  | "number"
  | "numberRange"
  | "date"
  | "dateRange"
  | "relative"
  | "segment"
  | "raw";

export function valueKind(type: FieldType, op: string): ValueKind {
  if (type === "unknown") return "raw";
  if (op === "is_empty" || op === "is_not_empty" || op === "is_true" || op === "is_false") return "none";
  switch (type) {
    case "text":
      return op === "in" || op === "not_in" ? "textList" : "text";
    case "country":
      return op === "in" || op === "not_in" ? "countryList" : "country";
    case "tag":
      return "tags";
    case "project_status":
      return "projectStatuses";
    case "email_status":
      return "emailStatuses";
    case "sms_status":
      return "smsStatuses";
    case "revenue":
    case "number":
      return op === "between" ? "numberRange" : "number";
    case "date":
      return op === "between" ? "dateRange" : op === "within_last" || op === "more_than_ago" ? "relative" : "date";
    case "segment":
      return "segment";
    case "boolean":
      return "none";
  }
}

export const DEFAULT_UNIT: RelativeUnit = "days";

/** What a value input starts empty with. */
export function emptyValue(kind: ValueKind): DraftValue {
  switch (kind) {
    case "none":
    case "raw":
      return undefined;
    case "text":
    case "country":
    case "date":
    case "segment":
      return "";
    case "number":
      return null;
    case "numberRange":
      return [null, null];
    case "dateRange":
      return ["", ""];
    case "relative":
      return { amount: null, unit: DEFAULT_UNIT };
    default:
      return [];
  }
}

const SINGLE_TO_LIST: Partial<Record<ValueKind, ValueKind>> = { text: "textList", country: "countryList" };

/**
 * The value to keep when the operator changes from one needing `from` to one
 * needing `to`: kept when the kind is the same, carried between a single
 * value and a list ("is" → "is any of" and back), else emptied.
 */
export function carryValue(from: ValueKind, to: ValueKind, value: DraftValue): DraftValue {
  if (from === to) return value;
  if (SINGLE_TO_LIST[from] === to) return typeof value === "string" && value.trim() ? [value.trim()] : [];
  if (SINGLE_TO_LIST[to] === from) return Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
  return emptyValue(to);
}
