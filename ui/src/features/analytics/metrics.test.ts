import { metrics } from "../../../test/fakeAnalytics";
import { bestOf, detailSections, formatRate, hasEvents } from "./metrics";
import { presetRange, SINCE_SEND } from "./RangePicker";

describe("analytics numbers as shown", () => {
  it("show rates with one decimal and no rate as a dash, never 0 %", () => {
    expect(formatRate(3 / 7)).toBe("42.9%");
    expect(formatRate(0)).toBe("0.0%");
    expect(formatRate(null)).toBe("—");
  });

  it("mark the best value by which way the row should go, and nothing when all are equal or alone", () => {
    expect([...bestOf([0.2, 0.5, null], "higher")]).toEqual([1]);
    expect([...bestOf([0.2, 0.5, 0.2], "lower")]).toEqual([0, 2]);
    expect([...bestOf([0.3, 0.3], "higher")]).toEqual([]);
    expect([...bestOf([0.3, null], "higher")]).toEqual([]);
    expect([...bestOf([10, 20], undefined)]).toEqual([]);
  });

  it("name every detail row as the CSV export names the metric", () => {
    const names = detailSections(metrics()).flatMap((s) => s.rows.map((r) => r.name));
    expect(names).toEqual(
      expect.arrayContaining(["recipients", "excluded", "excluded_no_consent", "queued", "sent", "failed", "in_doubt", "suppressed", "delivered", "bounced_hard", "bounced_soft", "complained", "unsubscribed", "opened", "opens_human_unique", "opens_human_total", "opens_machine_unique", "opens_machine_total", "clicks_human_unique", "clicks_human_total", "clicks_scanner_unique", "clicks_scanner_total", "rate_basis_count", "open_rate", "click_rate", "click_to_open_rate", "bounce_rate", "complaint_rate", "unsubscribe_rate"]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("count a campaign with only machine opens as having events", () => {
    const quiet = metrics({ delivered: 0, opensHuman: { unique: 0, total: 0 }, opensMachine: { unique: 0, total: 0 }, clicksHuman: { unique: 0, total: 0 }, bouncedHard: 0, unsubscribed: 0 });
    expect(hasEvents(quiet)).toBe(false);
    expect(hasEvents({ ...quiet, opensMachine: { unique: 1, total: 1 } })).toBe(true);
  });

  it("turn the range presets into instants from the send, or from now for the last 30 days", () => {
    const sent = "2026-03-01T09:00:00.000Z";
    const now = Date.parse("2026-04-01T00:00:00Z");
    expect(presetRange("since", sent, now)).toEqual(SINCE_SEND);
    expect(presetRange("first_day", sent, now)).toEqual({ preset: "first_day", from: sent, to: "2026-03-02T09:00:00.000Z" });
    expect(presetRange("first_week", null, now)).toBeNull();
    expect(presetRange("last_30", sent, now)).toEqual({ preset: "last_30", from: "2026-03-02T00:00:00.000Z", to: null });
  });
});
