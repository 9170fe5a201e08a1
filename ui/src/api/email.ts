// Typed wrappers for the email_* settings commands of docs/campaigns.md.
// Types not generated into src/bindings yet are declared here as the contract says.
import { invoke } from "@tauri-apps/api/core";

export type SmtpSecurity = "starttls" | "tls" | "none";
export type EmailSettingsInput = {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  /** null keeps the password the keychain holds. */
  password: string | null;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  messagesPerSecond: number;
  connections: number;
  unsubscribeMailto: string | null;
};
export type EmailSettingsView = Omit<EmailSettingsInput, "password"> & { passwordStored: boolean; configured: boolean };
export type SmtpTestReport = { ok: boolean; reply: string; tls: boolean; authenticated: boolean };
export type SmtpPreset = {
  id: string;
  name: string;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  note: string;
};

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
