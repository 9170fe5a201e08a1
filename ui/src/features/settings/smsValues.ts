// Settings → SMS: the form's working values, what is checked before asking
// the backend, and the input the backend takes.
import type { SmsDefaultRate, SmsProviderKind, SmsSenderKind, SmsSettingsInput, SmsSettingsView, SmsVonageApi } from "../../api/sms";

export type SmsValues = {
  provider: SmsProviderKind;
  twilioAccountSid: string;
  twilioAuthToken: string;
  /** Which Twilio sender the form shows: a number, or a Messaging Service. */
  twilioSender: "number" | "service";
  twilioFrom: string;
  twilioMessagingServiceSid: string;
  vonageApi: SmsVonageApi;
  vonageApiKey: string;
  vonageApiSecret: string;
  vonageApplicationId: string;
  vonagePrivateKey: string;
  vonageFrom: string;
  senderKind: SmsSenderKind;
  messagesPerSecond: number | string;
  hoursOn: boolean;
  hoursFrom: string;
  hoursUntil: string;
  optOutText: string;
  helpText: string;
  twilioBaseUrl: string;
  vonageBaseUrl: string;
  timeoutSeconds: number | string;
};

export type SmsField = keyof SmsValues;
export type SmsErrors = Partial<Record<SmsField, string>>;

export const SENDER_KINDS: { value: SmsSenderKind; label: string }[] = [
  { value: "long_code", label: "Long code (a standard number)" },
  { value: "toll_free", label: "Toll-free number" },
  { value: "short_code", label: "Short code" },
  { value: "alphanumeric", label: "Alphanumeric sender id" },
];

const DEFAULT_HOURS = { from: "08:00", until: "21:00" };

export function valuesOf(v: SmsSettingsView): SmsValues {
  return {
    provider: v.provider,
    twilioAccountSid: v.twilioAccountSid,
    twilioAuthToken: "",
    twilioSender: v.twilioMessagingServiceSid && !v.twilioFrom ? "service" : "number",
    twilioFrom: v.twilioFrom,
    twilioMessagingServiceSid: v.twilioMessagingServiceSid,
    vonageApi: v.vonageApi,
    vonageApiKey: v.vonageApiKey,
    vonageApiSecret: "",
    vonageApplicationId: v.vonageApplicationId,
    vonagePrivateKey: "",
    vonageFrom: v.vonageFrom,
    senderKind: v.senderKind,
    messagesPerSecond: v.messagesPerSecond ?? "",
    // A fresh workspace offers the usual window; a saved "any time" stays off.
    hoursOn: v.configured ? v.sendingHours !== null : true,
    hoursFrom: v.sendingHours?.from ?? DEFAULT_HOURS.from,
    hoursUntil: v.sendingHours?.until ?? DEFAULT_HOURS.until,
    optOutText: v.optOutText,
    helpText: v.helpText,
    twilioBaseUrl: v.twilioBaseUrl,
    vonageBaseUrl: v.vonageBaseUrl,
    timeoutSeconds: v.timeoutSeconds,
  };
}

/** The input the backend takes: the sender the form does not show is blank; blank secrets keep the stored ones. */
export function inputOf(v: SmsValues): SmsSettingsInput {
  const secret = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    provider: v.provider,
    twilioAccountSid: v.twilioAccountSid.trim(),
    twilioFrom: v.twilioSender === "number" ? v.twilioFrom.trim() : "",
    twilioMessagingServiceSid: v.twilioSender === "service" ? v.twilioMessagingServiceSid.trim() : "",
    vonageApi: v.vonageApi,
    vonageApiKey: v.vonageApiKey.trim(),
    vonageApplicationId: v.vonageApi === "messages" ? v.vonageApplicationId.trim() : "",
    vonageFrom: v.vonageFrom.trim(),
    senderKind: v.senderKind,
    messagesPerSecond: v.messagesPerSecond === "" ? null : Number(v.messagesPerSecond),
    sendingHours: v.hoursOn ? { from: v.hoursFrom, until: v.hoursUntil } : null,
    optOutText: v.optOutText.trim(),
    helpText: v.helpText.trim(),
    twilioBaseUrl: v.twilioBaseUrl.trim(),
    vonageBaseUrl: v.vonageBaseUrl.trim(),
    timeoutSeconds: Number(v.timeoutSeconds),
    twilioAuthToken: secret(v.twilioAuthToken),
    vonageApiSecret: secret(v.vonageApiSecret),
    vonagePrivateKey: v.vonagePrivateKey.trim() ? v.vonagePrivateKey : undefined,
  };
}

/** The default rate for a provider and sender kind, from the backend's table. */
export function defaultRate(rates: SmsDefaultRate[], provider: SmsProviderKind, kind: SmsSenderKind): number | null {
  return rates.find((r) => r.provider === provider && r.senderKind === kind)?.messagesPerSecond ?? null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const E164ISH = /^\+?[0-9][0-9\s().-]{5,}$/;

/** What is missing or malformed, by field, before the backend is asked. */
export function check(v: SmsValues, view: SmsSettingsView): SmsErrors {
  const e: SmsErrors = {};
  if (v.provider === "twilio") {
    const sid = v.twilioAccountSid.trim();
    if (!sid) e.twilioAccountSid = "Enter the Account SID from the Twilio console (it starts with AC)";
    else if (!/^AC[0-9a-fA-F]{32}$/.test(sid)) e.twilioAccountSid = "An Account SID is AC followed by 32 letters and digits (0-9, a-f)";
    if (!v.twilioAuthToken.trim() && !view.twilioAuthTokenStored) e.twilioAuthToken = "Enter the auth token from the Twilio console";
    if (v.twilioSender === "number") {
      if (!v.twilioFrom.trim()) e.twilioFrom = "Enter the Twilio number messages come from, e.g. +14155550123";
      else if (!E164ISH.test(v.twilioFrom.trim())) e.twilioFrom = `“${v.twilioFrom.trim()}” is not a phone number`;
    } else {
      const mg = v.twilioMessagingServiceSid.trim();
      if (!mg) e.twilioMessagingServiceSid = "Enter the Messaging Service SID (it starts with MG)";
      else if (!/^MG[0-9a-fA-F]{32}$/.test(mg)) e.twilioMessagingServiceSid = "A Messaging Service SID is MG followed by 32 letters and digits (0-9, a-f)";
    }
  } else {
    if (!v.vonageApiKey.trim()) e.vonageApiKey = "Enter the API key from the Vonage dashboard";
    const jwt = v.vonageApi === "messages" && v.vonageApplicationId.trim() !== "";
    if (jwt && !v.vonagePrivateKey.trim() && !view.vonagePrivateKeyStored) e.vonagePrivateKey = "Paste the application's private key (PEM)";
    // Needed with an application too: checking the credentials reads the balance with it.
    if (!v.vonageApiSecret.trim() && !view.vonageApiSecretStored) e.vonageApiSecret = "Enter the API secret from the Vonage dashboard";
    const from = v.vonageFrom.trim();
    if (!from) e.vonageFrom = "Enter a Vonage number (+447700900123) or a sender id of up to 11 letters and digits";
    else if (!E164ISH.test(from) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) e.vonageFrom = "A sender id has at most 11 letters, digits or spaces; a number starts with + and its country code";
    else if (!E164ISH.test(from) && v.senderKind !== "alphanumeric") e.senderKind = "A name as the sender is an alphanumeric sender id: choose that kind";
  }
  if (v.messagesPerSecond !== "" && !(Number(v.messagesPerSecond) > 0)) e.messagesPerSecond = "More than 0 messages a second, or blank for the default";
  if (v.hoursOn) {
    if (!TIME.test(v.hoursFrom)) e.hoursFrom = "A time such as 08:00";
    if (!TIME.test(v.hoursUntil)) e.hoursUntil = "A time such as 21:00";
    else if (TIME.test(v.hoursFrom) && v.hoursFrom >= v.hoursUntil) e.hoursUntil = "Must be later than the start";
  }
  if (!v.optOutText.trim()) e.optOutText = "Campaigns append this to each message, e.g. Reply STOP to opt out";
  const timeout = Number(v.timeoutSeconds);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 120) e.timeoutSeconds = "Whole seconds from 1 to 120";
  return e;
}

/** The form field a backend error names (its `field`, camelCase), or null for none of them. */
export function fieldOf(field: string | null): SmsField | null {
  if (!field) return null;
  if (field.startsWith("sendingHours")) return field.endsWith("until") ? "hoursUntil" : "hoursFrom";
  const known: SmsField[] = [
    "provider", "twilioAccountSid", "twilioAuthToken", "twilioFrom", "twilioMessagingServiceSid", "vonageApi", "vonageApiKey",
    "vonageApiSecret", "vonageApplicationId", "vonagePrivateKey", "vonageFrom", "senderKind", "messagesPerSecond", "optOutText",
    "helpText", "twilioBaseUrl", "vonageBaseUrl", "timeoutSeconds",
  ];
  return known.includes(field as SmsField) ? (field as SmsField) : null;
}
