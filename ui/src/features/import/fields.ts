// The fields a CSV column can be imported into (docs/import.md, `--map`).

export type FieldOption = { value: string; label: string };
export type FieldGroup = { group: string; items: FieldOption[] };

const CONTACT: FieldOption[] = [
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "first_name", label: "First name" },
  { value: "last_name", label: "Last name" },
  { value: "name", label: "Full name (split into first and last)" },
  { value: "company", label: "Company" },
  { value: "city", label: "City" },
  { value: "region", label: "State / region" },
  { value: "country", label: "Country" },
  { value: "tags", label: "Tags" },
  { value: "revenue", label: "Revenue" },
  { value: "revenue_currency", label: "Revenue currency" },
  { value: "created_at", label: "Created at" },
  { value: "id", label: "ID" },
];

const CONSENT: FieldOption[] = [
  { value: "email_status", label: "Email status" },
  { value: "sms_status", label: "SMS status" },
  { value: "email_consent_at", label: "Email consent: date" },
  { value: "email_consent_source", label: "Email consent: source" },
  { value: "email_consent_method", label: "Email consent: method" },
  { value: "sms_consent_at", label: "SMS consent: date" },
  { value: "sms_consent_source", label: "SMS consent: source" },
  { value: "sms_consent_method", label: "SMS consent: method" },
];

export const IGNORE = "ignore";

/** "Favourite Colour" → "favourite_colour", as the importer names custom fields. */
export function snakeKey(header: string, index: number): string {
  const key = header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return key || `column_${index + 1}`;
}

export function fieldLabel(field: string): string {
  if (field === IGNORE) return "Don't import";
  if (field === "custom") return "Custom fields (JSON object)";
  if (field.startsWith("custom.")) return `Custom field “${field.slice(7)}”`;
  return [...CONTACT, ...CONSENT].find((f) => f.value === field)?.label ?? field;
}

/** The choices for one column: every field, its own custom field, and whatever was detected. */
export function fieldOptions(header: string, index: number, detected: string): FieldGroup[] {
  const customs = new Set([`custom.${snakeKey(header, index)}`]);
  if (detected.startsWith("custom.")) customs.add(detected);
  const known = new Set([...CONTACT, ...CONSENT].map((f) => f.value));
  const extra = !known.has(detected) && !detected.startsWith("custom") && detected !== IGNORE ? [{ value: detected, label: detected }] : [];
  return [
    { group: "Contact", items: [...CONTACT, ...extra] },
    { group: "Status and consent", items: CONSENT },
    {
      group: "Custom",
      items: [...[...customs].map((value) => ({ value, label: fieldLabel(value) })), { value: "custom", label: fieldLabel("custom") }],
    },
    { group: "Skip", items: [{ value: IGNORE, label: fieldLabel(IGNORE) }] },
  ];
}
