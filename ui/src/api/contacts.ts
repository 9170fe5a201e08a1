import { invoke } from "@tauri-apps/api/core";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { ContactInput } from "../bindings/ContactInput";
import type { ContactListQuery } from "../bindings/ContactListQuery";
import type { ContactPage } from "../bindings/ContactPage";
import type { Channel } from "../bindings/Channel";
import type { CheckedField } from "../bindings/CheckedField";
import type { FieldCheck } from "../bindings/FieldCheck";

export type { Channel, CheckedField };

export function contactsList(query: ContactListQuery): Promise<ContactPage> {
  return invoke<ContactPage>("contacts_list", { query });
}

export function contactsGet(id: string): Promise<ContactDetail> {
  return invoke<ContactDetail>("contacts_get", { id });
}

export function contactsCreate(input: ContactInput): Promise<ContactDetail> {
  return invoke<ContactDetail>("contacts_create", { input });
}

export function contactsUpdate(id: string, input: ContactInput): Promise<ContactDetail> {
  return invoke<ContactDetail>("contacts_update", { id, input });
}

/**
 * Runs the value through the same parser saving uses. A phone number is read
 * in `country` (the contact's, as saving does) when given, else in the
 * workspace's default region.
 */
export function contactsCheckField(field: CheckedField, value: string, country?: string): Promise<FieldCheck> {
  return invoke<FieldCheck>("contacts_check_field", { field, value, country: country?.trim() || null });
}

/** Returns the contact's tags after the change. */
export function contactsEditTags(id: string, add: string[], remove: string[]): Promise<string[]> {
  return invoke<string[]>("contacts_edit_tags", { id, add, remove });
}

export function contactsSetStatus(id: string, channel: Channel, status: string): Promise<ContactDetail> {
  return invoke<ContactDetail>("contacts_set_status", { id, channel, status });
}
