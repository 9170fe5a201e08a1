import { screen, waitFor, within } from "@testing-library/react";
import { commandError, FakeBackend } from "../../../test/fakeBackend";
import { FakeAnalytics, report } from "../../../test/fakeAnalytics";
import { FakeCampaigns } from "../../../test/fakeCampaigns";
import { renderApp } from "../../../test/render";
import { resetCampaignsStore } from "../../stores/campaigns";

vi.mock("./AnalyticsChart", () => ({
  AnalyticsChart: (props: { spec: { kind: string }; title: string }) => (
    <div data-testid={`chart-stub-${props.spec.kind}`} data-spec={JSON.stringify(props.spec)}>
      {props.title}
    </div>
  ),
}));

beforeEach(() => resetCampaignsStore());

/** Three sent campaigns the picker offers, with reports, and a draft it does not. */
function setup() {
  const fake = new FakeBackend().install();
  const campaigns = new FakeCampaigns(fake).install();
  const analytics = new FakeAnalytics(fake).install();
  const sent = { status: "sent" as const, startedAt: Date.parse("2026-03-01T09:00:00Z") };
  const a = campaigns.add({ ...sent, name: "Spring sale" });
  const b = campaigns.add({ ...sent, name: "Summer sale" });
  const c = campaigns.add({ ...sent, name: "Autumn news" });
  campaigns.add({ name: "Winter draft" });
  analytics.add(report({}, { id: a.id, name: "Spring sale" }));
  analytics.add(
    report({}, { id: b.id, name: "Summer sale", basis: "sent", basisCount: 10, rates: { open: 0.5, click: 0.1, clickToOpen: 0.2, bounce: 0, complaint: 0, unsubscribe: 0.3 } }),
  );
  analytics.add(report({}, { id: c.id, name: "Autumn news", channel: "sms", rates: { open: null, click: 0.05, clickToOpen: null, bounce: null, complaint: null, unsubscribe: 0.01 } }));
  return { fake, a, b, c };
}

const cells = (row: string) => within(screen.getByTestId(`compare-row-${row}`)).getAllByRole("cell").slice(1);

describe("campaign comparison", () => {
  it("puts the campaigns of the address side by side with each row's best value marked, and overlays their opens", async () => {
    const { a, b, fake } = setup();
    renderApp(`/campaigns/compare?ids=${a.id},${b.id}`);
    const table = await screen.findByTestId("compare-table");
    expect(screen.getByTestId("compare-page")).toBeInTheDocument();
    expect(within(table).getAllByTestId("compare-column").map((c) => c.textContent)).toEqual([expect.stringContaining("Spring sale"), expect.stringContaining("Summer sale")]);
    expect(fake.callsOf("analytics_compare").at(-1)!.args).toEqual({ ids: [a.id, b.id] });

    // Higher is better for the open rate: Summer's 50 % is marked.
    const open = cells("open_rate");
    expect(open.map((c) => c.textContent)).toEqual(["42.9%", "50.0%"]);
    expect(open[1]).toHaveAttribute("data-best", "true");
    expect(open[0]).not.toHaveAttribute("data-best");
    // Lower is better for unsubscribes: 14.3 % vs 30 %.
    const unsub = cells("unsubscribe_rate");
    expect(unsub[0]).toHaveAttribute("data-best", "true");
    // Counts are not ranked, and equal values mark nothing.
    expect(cells("sent").some((c) => c.hasAttribute("data-best"))).toBe(false);
    expect(cells("complaint_rate").some((c) => c.hasAttribute("data-best"))).toBe(false);
    expect(cells("basis").map((c) => c.textContent)).toEqual(["delivered (7)", "sent (10)"]);

    expect(JSON.parse(screen.getByTestId("chart-stub-comparison").dataset.spec!)).toEqual({ kind: "comparison", campaignIds: [a.id, b.id] });
  });

  it("adds and removes campaigns with the picker, which offers only sent ones", async () => {
    const { a, b, c, fake } = setup();
    const { user } = renderApp(`/campaigns/compare?ids=${a.id},${b.id}`);
    await screen.findByTestId("compare-table");
    await user.click(screen.getByTestId("compare-picker"));
    expect(screen.queryByRole("option", { name: "Winter draft" })).not.toBeInTheDocument();
    await user.click(await screen.findByRole("option", { name: "Autumn news" }));
    await waitFor(() => expect(fake.callsOf("analytics_compare").at(-1)!.args).toEqual({ ids: [a.id, b.id, c.id] }));
    await waitFor(() => expect(screen.getAllByTestId("compare-column")).toHaveLength(3));
    // SMS has no open rate: a dash, and the other two are still ranked.
    expect(cells("open_rate").map((x) => x.textContent)).toEqual(["42.9%", "50.0%", "—"]);

    const summer = screen.getAllByText("Summer sale").find((el) => el.classList.contains("mantine-Pill-label"))!;
    await user.click(summer.parentElement!.querySelector("button")!);
    await waitFor(() => expect(fake.callsOf("analytics_compare").at(-1)!.args).toEqual({ ids: [a.id, c.id] }));
    await waitFor(() => expect(screen.getAllByTestId("compare-column")).toHaveLength(2));
  });

  it("asks for two to five campaigns without calling the backend otherwise", async () => {
    const { a, fake } = setup();
    renderApp(`/campaigns/compare?ids=${a.id}`);
    expect(await screen.findByTestId("compare-choice")).toHaveTextContent("Add at least one more campaign to compare.");
    expect(fake.callsOf("analytics_compare")).toHaveLength(0);
  });

  it("refuses more than five with a clear message", async () => {
    const { fake } = setup();
    renderApp("/campaigns/compare?ids=a,b,c,d,e,f");
    expect(await screen.findByTestId("compare-choice")).toHaveTextContent("Compare at most five campaigns at a time: remove 1.");
    expect(fake.callsOf("analytics_compare")).toHaveLength(0);
  });

  it("shows the backend's refusal with a retry", async () => {
    const { a, b, fake } = setup();
    let fail = true;
    const real = fake.overrides.get("analytics_compare")!;
    fake.on("analytics_compare", (args) => {
      if (fail) throw commandError("not_found", "campaign x not found");
      return real(args);
    });
    const { user } = renderApp(`/campaigns/compare?ids=${a.id},${b.id}`);
    expect(await screen.findByTestId("compare-error")).toHaveTextContent("campaign x not found");
    fail = false;
    await user.click(screen.getByTestId("compare-error-retry"));
    expect(await screen.findByTestId("compare-table")).toBeInTheDocument();
  });
});
