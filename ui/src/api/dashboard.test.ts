import { FakeBackend } from "../../test/fakeBackend";
import { analyticsDashboard, type DashboardView } from "./dashboard";

const VIEW: DashboardView = {
  empty: true,
  recent: [],
  sending: null,
  last30Days: { sent: 0, uniqueOpens: 0, uniqueClicks: 0, unsubscribes: 0 },
  previous30Days: { sent: 0, uniqueOpens: 0, uniqueClicks: 0, unsubscribes: 0 },
  growth: [],
};

describe("dashboard command wrapper", () => {
  it("names the command as the contract does and answers what the backend said", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_dashboard", () => VIEW);
    await expect(analyticsDashboard()).resolves.toEqual(VIEW);
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([["analytics_dashboard", {}]]);
  });
});
