import { invoke } from "@tauri-apps/api/core";
import type { DemoSummary } from "../bindings/DemoSummary";
import type { SettingOptions } from "../bindings/SettingOptions";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import type { WorkspaceSettingsInput } from "../bindings/WorkspaceSettingsInput";

export function workspaceInfo(): Promise<WorkspaceInfo> {
  return invoke<WorkspaceInfo>("workspace_info");
}

/** Fills an empty workspace with `count` made-up contacts; refused (`conflict`) when it has any. */
export function workspaceLoadDemo(count: number): Promise<DemoSummary> {
  return invoke<DemoSummary>("workspace_load_demo", { count });
}

/**
 * Saves the name, default region ("" for none), currency and time zone
 * together; all are checked first and nothing is saved when one is invalid
 * (a `validation` error naming the field). Answers with the new info.
 */
export function workspaceUpdateSettings(input: WorkspaceSettingsInput): Promise<WorkspaceInfo> {
  return invoke<WorkspaceInfo>("workspace_update_settings", { input });
}

/** The currencies (ISO 4217) and time zones (IANA) the settings form offers, each sorted. */
export function workspaceSettingOptions(): Promise<SettingOptions> {
  return invoke<SettingOptions>("workspace_setting_options");
}

/** Tells the app its first screen is shown, so it starts its start-up background work. */
export function appFirstScreenShown(): Promise<void> {
  return invoke<void>("app_first_screen_shown");
}
