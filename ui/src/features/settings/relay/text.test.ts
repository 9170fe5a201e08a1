import type { RelayStatus } from "../../../bindings/RelayStatus";
import type { SyncSummary } from "../../../bindings/SyncSummary";
import { healthOf, intervalText, sentence, syncSummaryText } from "./text";

const summary = (s: Partial<SyncSummary>): SyncSummary => ({
  finishedAt: "2026-11-28T21:00:00.000Z",
  received: 0,
  recorded: 0,
  byKind: {},
  unsubscribed: 0,
  resubscribed: 0,
  bounced: 0,
  complained: 0,
  smsOptedOut: 0,
  smsOptedIn: 0,
  unmatched: 0,
  ...s,
});

describe("relay wording", () => {
  it("sums up a sync by kind, then by the contacts it changed", () => {
    expect(syncSummaryText(summary({}))).toBe("Up to date: the relay had no new events.");
    expect(
      syncSummaryText(
        summary({
          recorded: 7,
          byKind: { bounce: 2, complaint: 1, sms_inbound: 2, resubscribe: 1, provider_thing: 1 },
          bounced: 2,
          complained: 1,
          smsOptedOut: 1,
          smsOptedIn: 1,
          resubscribed: 1,
          unmatched: 1,
        }),
      ),
    ).toBe(
      "7 new events (2 bounces, 1 complaint, 1 provider thing, 1 resubscribe, 2 SMS replies). " +
        "1 contact resubscribed, 2 addresses bounced, 1 spam complaint, 1 phone number opted out of SMS, " +
        "1 phone number opted back in to SMS. 1 event for contacts not in this workspace.",
    );
  });

  it("says how often the app syncs", () => {
    expect(intervalText(60)).toBe("every minute");
    expect(intervalText(300)).toBe("every 5 minutes");
    expect(intervalText(3600)).toBe("every hour");
    expect(intervalText(7200)).toBe("every 2 hours");
    expect(intervalText(30)).toBe("every 30 seconds");
  });

  it("ends a clause with a full stop, once", () => {
    expect(sentence("never in a file")).toBe("never in a file.");
    expect(sentence("Refused (os error 111) ")).toBe("Refused (os error 111).");
    expect(sentence("Done.")).toBe("Done.");
  });

  it("calls an error older than the last success recovered", () => {
    const status: RelayStatus = {
      url: "https://relay.example.com",
      lastSyncAt: "2026-11-28T21:05:00.000Z",
      lastError: { at: "2026-11-28T21:00:00.000Z", message: "down" },
      lastSync: null,
      eventsApplied: 0,
      keychain: { state: "ready", signingKeyId: 1, previousSigningKeyId: null, apiToken: true },
      intervalSeconds: 60,
    };
    expect(healthOf(status)).toBe("ok");
    expect(healthOf({ ...status, lastError: { at: "2026-11-28T21:06:00.000Z", message: "down" } })).toBe("failing");
    expect(healthOf({ ...status, keychain: { state: "failed", message: "x" } })).toBe("keychain");
  });
});
