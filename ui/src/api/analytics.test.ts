import { FakeBackend } from "../../test/fakeBackend";
import { analyticsCampaign, analyticsCompare, analyticsExport, analyticsSeries } from "./analytics";

// Every wrapper sends the command name and camelCase argument names of docs/ipc.md.
describe("analytics command wrappers", () => {
  it("name each command and its arguments as the contract does", async () => {
    const fake = new FakeBackend().install();
    for (const cmd of ["analytics_campaign", "analytics_series", "analytics_compare", "analytics_export"]) fake.on(cmd, () => null);
    await analyticsCampaign("c1");
    await analyticsSeries("c1", "2026-03-01T00:00:00Z", null);
    await analyticsCompare(["c1", "c2"]);
    await analyticsExport("c1", "roster");
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([
      ["analytics_campaign", { id: "c1" }],
      ["analytics_series", { id: "c1", from: "2026-03-01T00:00:00Z", to: null }],
      ["analytics_compare", { ids: ["c1", "c2"] }],
      ["analytics_export", { id: "c1", part: "roster" }],
    ]);
  });
});
