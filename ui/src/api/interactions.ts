import { invoke } from "@tauri-apps/api/core";
import type { ContactDetail } from "../bindings/ContactDetail";

/** `occurredAt` is an RFC 3339 instant. */
export function interactionsAdd(
  contactId: string,
  kind: string,
  occurredAt: string,
  summary: string,
): Promise<ContactDetail> {
  return invoke<ContactDetail>("interactions_add", { contactId, kind, occurredAt, summary });
}
