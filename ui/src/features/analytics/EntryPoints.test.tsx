import { screen, waitFor } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeAnalytics, report } from "../../../test/fakeAnalytics";
import { FakeCampaigns } from "../../../test/fakeCampaigns";
import { renderApp } from "../../../test/render";
import { resetCampaignsStore } from "../../stores/campaigns";

vi.mock("./AnalyticsChart", () => ({
  AnalyticsChart: (props: { title: string }) => <div>{props.title}</div>,
}));

beforeEach(() => resetCampaignsStore());

function setup() {
  const fake = new FakeBackend().install();
  const campaigns = new FakeCampaigns(fake).install();
  const analytics = new FakeAnalytics(fake).install();
  return { fake, campaigns, analytics };
}

// How a person reaches the report and the comparison from the campaigns.
describe("analytics entry points", () => {
  it("offers View report on a sent campaign, not on a draft, and opens the report", async () => {
    const { campaigns, analytics } = setup();
    const sent = campaigns.add({ name: "Spring sale", status: "sent", startedAt: Date.parse("2026-03-01T09:00:00Z") });
    campaigns.fillLedger(sent.id, ["sent", "sent"]);
    const draft = campaigns.add({ name: "Draft" });
    analytics.add(report({}, { id: sent.id }));

    const first = renderApp(`/campaigns/${draft.id}`);
    expect(await screen.findByTestId("campaign-not-started")).toBeInTheDocument();
    expect(screen.queryByTestId("campaign-view-report")).not.toBeInTheDocument();
    first.unmount();

    const { user } = renderApp(`/campaigns/${sent.id}`);
    await user.click(await screen.findByTestId("campaign-view-report"));
    expect(await screen.findByTestId("metric-open-rate")).toHaveTextContent("42.9%");
  });

  it("compares the sent campaigns ticked in the list, two to five", async () => {
    const { campaigns, analytics } = setup();
    const at = Date.parse("2026-03-01T09:00:00Z");
    const a = campaigns.add({ name: "Spring sale", status: "sent", startedAt: at });
    const b = campaigns.add({ name: "Summer sale", status: "sent", startedAt: at + 1000 });
    campaigns.add({ name: "Draft" });
    analytics.add(report({}, { id: a.id, name: "Spring sale" }));
    analytics.add(report({}, { id: b.id, name: "Summer sale" }));
    const { user } = renderApp("/campaigns");
    await waitFor(() => expect(screen.getAllByTestId("campaign-row")).toHaveLength(3));
    const boxes = screen.getAllByTestId("campaign-compare-check");
    const draftBox = boxes.find((el) => el.getAttribute("aria-label") === "Compare Draft")!;
    expect(draftBox).toBeDisabled();
    const compare = screen.getByTestId("campaigns-compare");
    expect(compare).toBeDisabled();
    await user.click(screen.getByLabelText("Compare Spring sale"));
    expect(compare).toBeDisabled();
    await user.click(screen.getByLabelText("Compare Summer sale"));
    expect(compare).toBeEnabled();
    expect(compare).toHaveTextContent("Compare (2)");
    await user.click(compare);
    expect(await screen.findByTestId("compare-table")).toBeInTheDocument();
    expect(screen.getAllByTestId("compare-column").map((c) => c.textContent)).toEqual([expect.stringContaining("Spring sale"), expect.stringContaining("Summer sale")]);
  });
});
