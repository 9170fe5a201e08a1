// The sms_* commands of docs/ipc.md over a FakeBackend, for component tests
// and the dev preview page. The segment counter follows GSM 03.38 and UCS-2
// closely enough for the UI (the real one is herald-core's, tested in Rust).
import type { CampaignDetail, CampaignPreview } from "../src/api/campaigns";
import type { ForcedUcs2, SmsCount, SmsSettingsInput, SmsSettingsView, SmsTestReport, SmsVerifyReport, SmsWorstCase } from "../src/api/sms";
import type { SmsDefaultRate } from "../src/bindings/SmsDefaultRate";
import { commandError, type FakeBackend } from "./fakeBackend";
import type { FakeCampaigns } from "./fakeCampaigns";

const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENSION = "^{}\\[~]|€\f";

const EQUIVALENTS: Record<string, string> = {
  "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
  "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u2022": "-",
};

/** Fills parts of `perPart` units, never splitting one character's units across two parts. */
function fill(costs: number[], perPart: number): { parts: number; last: number } {
  let parts = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > perPart) {
      parts += 1;
      used = 0;
    }
    used += c;
  }
  return { parts, last: used };
}

export function countSms(text: string): SmsCount {
  const chars = Array.from(text);
  const forced: ForcedUcs2[] = [];
  chars.forEach((ch, index) => {
    if (!BASIC.includes(ch) && !EXTENSION.includes(ch)) forced.push({ ch, index, replacement: EQUIVALENTS[ch] ?? null });
  });
  const gsm = forced.length === 0;
  const costs = chars.map((ch) => (gsm ? (EXTENSION.includes(ch) ? 2 : 1) : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  if (units === 0) return { encoding: "gsm7", characters: 0, units: 0, parts: 0, perPart: single, leftInPart: single, forcedUcs2: [] };
  const perPart = units <= single ? single : multi;
  const { parts, last } = units <= single ? { parts: 1, last: units } : fill(costs, multi);
  return { encoding: gsm ? "gsm7" : "ucs2", characters: chars.length, units, parts, perPart, leftInPart: perPart - last, forcedUcs2: forced };
}

export function gsmEquivalents(text: string): string {
  return Array.from(text)
    .map((ch) => EQUIVALENTS[ch] ?? ch)
    .join("");
}

const RATES: SmsDefaultRate[] = [
  { provider: "twilio", senderKind: "long_code", messagesPerSecond: 1 },
  { provider: "twilio", senderKind: "toll_free", messagesPerSecond: 3 },
  { provider: "twilio", senderKind: "short_code", messagesPerSecond: 30 },
  { provider: "twilio", senderKind: "alphanumeric", messagesPerSecond: 10 },
  { provider: "vonage", senderKind: "long_code", messagesPerSecond: 1 },
  { provider: "vonage", senderKind: "toll_free", messagesPerSecond: 3 },
  { provider: "vonage", senderKind: "short_code", messagesPerSecond: 30 },
  { provider: "vonage", senderKind: "alphanumeric", messagesPerSecond: 10 },
];

const rateOf = (v: { provider: SmsSettingsView["provider"]; senderKind: SmsSettingsView["senderKind"] }) =>
  RATES.find((r) => r.provider === v.provider && r.senderKind === v.senderKind)?.messagesPerSecond ?? 1;

export class FakeSms {
  settings: SmsSettingsView = {
    provider: "twilio",
    twilioAccountSid: "",
    twilioFrom: "",
    twilioMessagingServiceSid: "",
    vonageApi: "messages",
    vonageApiKey: "",
    vonageApplicationId: "",
    vonageFrom: "",
    senderKind: "long_code",
    messagesPerSecond: null,
    sendingHours: { from: "08:00", until: "21:00" },
    optOutText: "Reply STOP to opt out",
    helpText: "Acme Marketing: marketing messages. Reply STOP to opt out.",
    twilioBaseUrl: "",
    vonageBaseUrl: "",
    timeoutSeconds: 30,
    twilioAuthTokenStored: false,
    vonageApiSecretStored: false,
    vonagePrivateKeyStored: false,
    defaultRate: 1,
    defaultRates: RATES,
    configured: false,
  };
  /** When set, sms_verify reports this refusal. */
  verifyFailure: string | null = null;
  /** Numbers the test send refuses, with the provider's words. */
  refused = new Map<string, string>();
  /** Every message the fake "sent": to whom, what. */
  sent: { to: string; body: string }[] = [];

  constructor(private fake: FakeBackend) {}

  install(): this {
    const f = this.fake;
    f.on("sms_count", (a) => countSms(a.text as string));
    f.on("sms_gsm_equivalents", (a) => gsmEquivalents(a.text as string));
    f.on("sms_settings_get", () => structuredClone(this.settings));
    f.on("sms_settings_save", (a) => this.save(a.input as SmsSettingsInput));
    f.on("sms_verify", () => this.verify());
    f.on("sms_test_send", (a) => this.testSend(a.numbers as string[], a.body as string));
    return this;
  }

  /**
   * SMS campaigns over `campaigns`: their preview (the text on a phone), the
   * worst case over the contacts with a phone, and test sends to numbers.
   * Email campaigns keep the campaigns fake's answers.
   */
  withCampaigns(campaigns: FakeCampaigns): this {
    const f = this.fake;
    const sms = (id: unknown) => campaigns.campaigns.find((c) => c.id === id && c.channel === "sms");
    const preview = f.overrides.get("campaign_preview");
    const testSend = f.overrides.get("campaign_test_send");
    f.on("campaign_preview", (a) => {
      const c = sms(a.id);
      return c ? this.preview(c, (a.contactId as string | undefined) ?? null) : preview?.(a);
    });
    f.on("campaign_sms_worst_case", (a) => this.worstCase(sms(a.id) ?? (campaigns.campaigns.find((c) => c.id === a.id) as CampaignDetail)));
    f.on("campaign_test_send", (a) => {
      const c = sms(a.id);
      if (!c) return testSend?.(a);
      const numbers = a.addresses as string[];
      if (numbers.length < 1 || numbers.length > 5) throw commandError("validation", "addresses: give 1 to 5 numbers", "addresses");
      for (const n of numbers) this.sent.push({ to: n, body: this.personalise(c, (a.contactId as string | undefined) ?? null) });
      return null;
    });
    return this;
  }

  /** The campaign's text for one contact (or the example person), opt-out line included. */
  personalise(c: CampaignDetail, contactId: string | null): string {
    const contact = contactId ? this.fake.contacts.find((x) => x.contact.id === contactId)?.contact : undefined;
    const body = (c.textBody ?? "")
      .replace(/\{\{\s*contact\.first_name\s*\}\}/g, contact?.firstName ?? "")
      .replace(/\{\{\s*contact\.last_name\s*\}\}/g, contact?.lastName ?? "")
      .replace(/\{\{\s*contact\.company\s*\}\}/g, contact?.company ?? "");
    const opt = this.settings.optOutText;
    return c.smsOptOut && !body.toLowerCase().includes(opt.toLowerCase()) ? `${body.trimEnd()}\n${opt}` : body;
  }

  private preview(c: CampaignDetail, contactId: string | null): CampaignPreview {
    const contact = contactId ? this.fake.contacts.find((x) => x.contact.id === contactId)?.contact : undefined;
    const body = this.personalise(c, contactId);
    return {
      subject: "",
      html: "",
      text: body,
      contactId: contact?.id ?? null,
      contactLabel: contact ? `${contact.displayName} <${contact.phone ?? ""}>` : null,
      hints: [],
      sms: { body, count: countSms(body) },
    };
  }

  private worstCase(c: CampaignDetail): SmsWorstCase {
    const people = this.fake.contacts.filter((x) => x.contact.phone);
    let worst: SmsWorstCase = { count: countSms(this.personalise(c, null)), contactId: null, contactLabel: null, recipients: people.length };
    for (const p of people) {
      const count = countSms(this.personalise(c, p.contact.id));
      if (count.parts > worst.count.parts || (count.parts === worst.count.parts && count.units > worst.count.units)) {
        worst = { ...worst, count, contactId: p.contact.id, contactLabel: p.contact.displayName };
      }
    }
    return worst;
  }

  /** Settings as saved with working Twilio credentials. */
  configured(): this {
    this.settings = {
      ...this.settings,
      twilioAccountSid: "AC0123456789abcdef0123456789abcdef",
      twilioFrom: "+14155550123",
      twilioAuthTokenStored: true,
      configured: true,
    };
    return this;
  }

  private save(input: SmsSettingsInput): SmsSettingsView {
    if (input.provider === "twilio" && !/^\+[1-9]\d{7,14}$/.test(input.twilioFrom) && !input.twilioMessagingServiceSid) {
      throw commandError("validation", `twilio_from: "${input.twilioFrom}" is not a phone number in E.164 form`, "twilioFrom");
    }
    const { twilioAuthToken, vonageApiSecret, vonagePrivateKey, ...rest } = input;
    const next = {
      ...this.settings,
      ...rest,
      twilioBaseUrl: rest.twilioBaseUrl ?? this.settings.twilioBaseUrl,
      vonageBaseUrl: rest.vonageBaseUrl ?? this.settings.vonageBaseUrl,
      timeoutSeconds: rest.timeoutSeconds ?? this.settings.timeoutSeconds,
      twilioAuthTokenStored: this.settings.twilioAuthTokenStored || !!twilioAuthToken,
      vonageApiSecretStored: this.settings.vonageApiSecretStored || !!vonageApiSecret,
      vonagePrivateKeyStored: this.settings.vonagePrivateKeyStored || !!vonagePrivateKey,
      configured: true,
    };
    this.settings = { ...next, defaultRate: rateOf(next) };
    return structuredClone(this.settings);
  }

  private verify(): SmsVerifyReport {
    if (!this.settings.configured) throw commandError("conflict", "SMS is not set up: add your provider in Settings → SMS");
    if (this.verifyFailure) return { ok: false, detail: this.verifyFailure };
    return { ok: true, detail: "Twilio account “Acme Marketing” (active)" };
  }

  private testSend(numbers: string[], body: string): SmsTestReport {
    if (numbers.length < 1 || numbers.length > 5) throw commandError("validation", "numbers: give 1 to 5 numbers", "numbers");
    if (!this.settings.configured) throw commandError("conflict", "SMS is not set up: add your provider in Settings → SMS");
    const text = body.includes(this.settings.optOutText) ? body : `${body.trimEnd()}\n${this.settings.optOutText}`;
    return {
      results: numbers.map((n, i) => {
        const refusal = this.refused.get(n);
        if (refusal) return { number: n, ok: false, detail: refusal };
        this.sent.push({ to: n, body: text });
        return { number: n, ok: true, detail: `SM${String(i).padStart(32, "0")}` };
      }),
    };
  }
}
