// Typed wrappers for the email_* settings commands of docs/campaigns.md.
// The types come from src/bindings (generated from the Rust DTOs).
import { invoke } from "@tauri-apps/api/core";
import type { EmailSettingsInput } from "../bindings/EmailSettingsInput";
import type { EmailSettingsView } from "../bindings/EmailSettingsView";
import type { SmtpPreset } from "../bindings/SmtpPreset";
import type { SmtpSecurity } from "../bindings/SmtpSecurity";
import type { SmtpTestReport } from "../bindings/SmtpTestReport";

export type { EmailSettingsInput, EmailSettingsView, SmtpPreset, SmtpSecurity, SmtpTestReport };

export function emailSettingsGet(): Promise<EmailSettingsView> {
  return invoke<EmailSettingsView>("email_settings_get");
}

/** The password goes to the keychain, never to the workspace file. */
export function emailSettingsSave(input: EmailSettingsInput): Promise<EmailSettingsView> {
  return invoke<EmailSettingsView>("email_settings_save", { input });
}

/** Connects, says hello and logs in with these settings (unsaved); `reply` is the server's own words. */
export function emailSettingsTest(input: EmailSettingsInput): Promise<SmtpTestReport> {
  return invoke<SmtpTestReport>("email_settings_test", { input });
}

/** Known providers' SMTP settings, to fill the form from. */
export function emailPresets(): Promise<SmtpPreset[]> {
  return invoke<SmtpPreset[]>("email_presets");
}
