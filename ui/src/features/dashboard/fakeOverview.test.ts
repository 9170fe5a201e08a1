import { FakeBackend } from "../../../test/fakeBackend";
import { analyticsDashboard } from "../../api/dashboard";
import { installFakeOverview, sampleOverview } from "./fakeOverview";

describe("the dev preview's dashboard answer", () => {
  it("is a coherent workspace: the sending campaign is the newest, weeks start on Mondays and nets add up", () => {
    const view = sampleOverview(Date.UTC(2026, 10, 26, 15));
    expect(view.recent[0]?.id).toBe(view.sending?.id);
    expect(view.growth).toHaveLength(12);
    expect(view.growth.at(-1)?.weekStart).toBe("2026-11-23T00:00:00.000Z");
    for (const w of view.growth) {
      expect(new Date(w.weekStart).getUTCDay()).toBe(1);
      expect(w.net).toBe(w.subscribed - w.unsubscribed);
    }
  });

  it("answers analytics_dashboard through the fake backend, the sending campaign moving on at each read", async () => {
    const fake = new FakeBackend().install();
    installFakeOverview(fake);
    const first = await analyticsDashboard();
    const second = await analyticsDashboard();
    expect(second.sending!.sent).toBeGreaterThan(first.sending!.sent);
  });
});
