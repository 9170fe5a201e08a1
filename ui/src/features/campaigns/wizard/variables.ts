// The personalisation variables a message can use, as `{{ name }}` tags.
import type { CustomFieldInfo } from "../../../bindings/CustomFieldInfo";
import type { RelayStatus } from "../../../bindings/RelayStatus";

export type Variable = {
  tag: string;
  label: string;
  group: string;
  /** A link's text: an HTML body gets `<a href="{{ tag }}">text</a>` rather than the bare URL. */
  linkText?: string;
  /** Only works with a relay (its URL and signing key) set up. */
  needsRelay?: boolean;
};

// The contact fields templates can read (the composer's CONTACT_FIELDS, but `id`).
const STANDARD: Variable[] = [
  { tag: "contact.first_name", label: "First name", group: "Contact" },
  { tag: "contact.last_name", label: "Last name", group: "Contact" },
  { tag: "contact.email", label: "Email", group: "Contact" },
  { tag: "contact.phone", label: "Phone", group: "Contact" },
  { tag: "contact.company", label: "Company", group: "Contact" },
  { tag: "contact.country", label: "Country", group: "Contact" },
];

/** Herald's own links in an email: never tracked as clicks. */
const LINKS: Variable[] = [
  { tag: "unsubscribe_url", label: "Unsubscribe link", group: "Links", linkText: "Unsubscribe" },
  { tag: "web_view_url", label: "Web version link", group: "Links", linkText: "View it in your browser", needsRelay: true },
];

/** What a link that needs a relay says when there is none. */
export const NEEDS_RELAY = "Needs a relay (Settings → Relay)";

/**
 * The variables, with the workspace's custom fields after the standard ones,
 * and (`links`, for an email's body) the unsubscribe and web version links.
 */
export function variablesWith(custom: CustomFieldInfo[], { links = false }: { links?: boolean } = {}): Variable[] {
  return [
    ...STANDARD,
    ...custom.map((f) => ({ tag: `contact.custom.${f.key}`, label: f.key, group: "Custom fields" })),
    ...(links ? LINKS : []),
  ];
}

/** What is inserted: `{{ contact.first_name }}`. */
export const variableText = (tag: string): string => `{{ ${tag} }}`;

/** What is inserted into HTML: a link for the link variables, the tag for the others. */
export function variableHtml(tag: string): string {
  const link = LINKS.find((v) => v.tag === tag);
  return link ? `<a href="${variableText(tag)}">${link.linkText}</a>` : variableText(tag);
}

/** Whether `web_view_url` works: a relay URL and a signing key in the keychain. */
export function relayConfigured(status: RelayStatus | null): boolean {
  return !!status?.url && status.keychain.state === "ready" && status.keychain.signingKeyId !== null;
}
