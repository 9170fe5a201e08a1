// Typed wrappers for the sms_* commands of docs/ipc.md ("SMS"), one per
// command. The types come from src/bindings (generated from the Rust DTOs).
import { invoke } from "@tauri-apps/api/core";
import type { ForcedUcs2 } from "../bindings/ForcedUcs2";
import type { SmsCount } from "../bindings/SmsCount";
import type { SmsDefaultRate } from "../bindings/SmsDefaultRate";
import type { SmsEncoding } from "../bindings/SmsEncoding";
import type { SmsProviderKind } from "../bindings/SmsProviderKind";
import type { SmsSenderKind } from "../bindings/SmsSenderKind";
import type { SmsSendingHours } from "../bindings/SmsSendingHours";
import type { SmsSettingsInput } from "../bindings/SmsSettingsInput";
import type { SmsSettingsView } from "../bindings/SmsSettingsView";
import type { SmsTestReport } from "../bindings/SmsTestReport";
import type { SmsTestResult } from "../bindings/SmsTestResult";
import type { SmsVerifyReport } from "../bindings/SmsVerifyReport";
import type { SmsVonageApi } from "../bindings/SmsVonageApi";
import type { SmsWorstCase } from "../bindings/SmsWorstCase";

export type {
  ForcedUcs2,
  SmsCount,
  SmsDefaultRate,
  SmsEncoding,
  SmsProviderKind,
  SmsSenderKind,
  SmsSendingHours,
  SmsSettingsInput,
  SmsSettingsView,
  SmsTestReport,
  SmsTestResult,
  SmsVerifyReport,
  SmsVonageApi,
  SmsWorstCase,
};

/** The most numbers a test SMS goes to at once. */
export const MAX_TEST_NUMBERS = 5;

/** What `text` costs as SMS: encoding, parts, what is left in the last part, the characters that forced UCS-2. */
export function smsCount(text: string): Promise<SmsCount> {
  return invoke<SmsCount>("sms_count", { text });
}

/** `text` with smart quotes, dashes and the like replaced by their GSM-7 look-alikes. */
export function smsGsmEquivalents(text: string): Promise<string> {
  return invoke<string>("sms_gsm_equivalents", { text });
}

export function smsSettingsGet(): Promise<SmsSettingsView> {
  return invoke<SmsSettingsView>("sms_settings_get");
}

/** Secrets go to the keychain; a blank or absent secret keeps the stored one. */
export function smsSettingsSave(input: SmsSettingsInput): Promise<SmsSettingsView> {
  return invoke<SmsSettingsView>("sms_settings_save", { input });
}

/** Asks the provider whether the saved credentials work, without sending anything. */
export function smsVerify(): Promise<SmsVerifyReport> {
  return invoke<SmsVerifyReport>("sms_verify");
}

/** Sends `body` (with the opt-out text) to 1..5 numbers through the saved provider, for real. */
export function smsTestSend(numbers: string[], body: string): Promise<SmsTestReport> {
  return invoke<SmsTestReport>("sms_test_send", { numbers, body });
}

/** The campaign's costliest message over its audience (each recipient's text counted with their details). */
export function campaignSmsWorstCase(id: string): Promise<SmsWorstCase> {
  return invoke<SmsWorstCase>("campaign_sms_worst_case", { id });
}
