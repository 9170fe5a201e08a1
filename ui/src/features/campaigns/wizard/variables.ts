// The personalisation variables a message can use, as `{{ name }}` tags.
import type { CustomFieldInfo } from "../../../bindings/CustomFieldInfo";

export type Variable = { tag: string; label: string; group: string };

const STANDARD: Variable[] = [
  { tag: "contact.first_name", label: "First name", group: "Contact" },
  { tag: "contact.last_name", label: "Last name", group: "Contact" },
  { tag: "contact.email", label: "Email", group: "Contact" },
  { tag: "contact.company", label: "Company", group: "Contact" },
  { tag: "contact.city", label: "City", group: "Contact" },
  { tag: "contact.country", label: "Country", group: "Contact" },
];

/** The variables, with the workspace's custom fields after the standard ones. */
export function variablesWith(custom: CustomFieldInfo[]): Variable[] {
  return [...STANDARD, ...custom.map((f) => ({ tag: `contact.custom.${f.key}`, label: f.key, group: "Custom fields" }))];
}

/** What is inserted: `{{ contact.first_name }}`. */
export const variableText = (tag: string): string => `{{ ${tag} }}`;
