import { ANALYTICS_ROUTES, isAnalyticsPath } from "./analyticsRoutes";

describe("the analytics routes", () => {
  it("counts the comparison and every report as analytics, and nothing else under campaigns", () => {
    expect(isAnalyticsPath("/campaigns/compare")).toBe(true);
    expect(isAnalyticsPath("/campaigns/0190a5b2-0000-7000-8000-000000000001/analytics")).toBe(true);
    expect(isAnalyticsPath("/campaigns")).toBe(false);
    expect(isAnalyticsPath("/campaigns/new")).toBe(false);
    expect(isAnalyticsPath("/campaigns/0190a5b2-0000-7000-8000-000000000001")).toBe(false);
    expect(isAnalyticsPath("/campaigns/0190a5b2-0000-7000-8000-000000000001/edit")).toBe(false);
  });

  it("recognise every route they declare, with any campaign id", () => {
    for (const pattern of Object.values(ANALYTICS_ROUTES)) {
      expect(isAnalyticsPath(`/${pattern.replace(":id", "0190a5b2-0000-7000-8000-00000000000a")}`)).toBe(true);
    }
  });
});
