import { invoke } from "@tauri-apps/api/core";
import type { ContactDetail } from "../bindings/ContactDetail";

/** `value` is a decimal amount in major units ("1250.50") in the workspace currency. */
export function projectsAdd(contactId: string, name: string, status: string, value: string): Promise<ContactDetail> {
  return invoke<ContactDetail>("projects_add", { contactId, name, status, value });
}

export function projectStatusesList(): Promise<string[]> {
  return invoke<string[]>("project_statuses_list");
}
