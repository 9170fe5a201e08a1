import { emit } from "@tauri-apps/api/event";
import { act, screen, waitFor, within } from "@testing-library/react";
import { commandError, FakeBackend } from "../../../test/fakeBackend";
import { FakeAnalytics, report } from "../../../test/fakeAnalytics";
import { renderApp } from "../../../test/render";

// The charts are drawn by the backend and tested on their own; here a stub
// shows which chart the page asked for, with which range.
vi.mock("./AnalyticsChart", () => ({
  AnalyticsChart: (props: { spec: { kind: string }; title: string; refreshKey?: unknown }) => (
    <div data-testid={`chart-stub-${props.spec.kind}`} data-spec={JSON.stringify(props.spec)} data-refresh={String(props.refreshKey)}>
      {props.title}
    </div>
  ),
}));

function setup() {
  const fake = new FakeBackend().install();
  const analytics = new FakeAnalytics(fake).install();
  return { fake, analytics };
}

const spec = (kind: string) => JSON.parse(screen.getByTestId(`chart-stub-${kind}`).dataset.spec!) as Record<string, unknown>;
const lastCell = (name: string) => within(screen.getByTestId(`metric-row-${name}`)).getAllByRole("cell").at(-1);

describe("campaign analytics page", () => {
  it("shows the headline rates on the delivered basis, machine opens apart, every number and the top links", async () => {
    const { analytics } = setup();
    analytics.add(report());
    renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("metric-open-rate")).toHaveTextContent("42.9%");
    expect(screen.getByTestId("analytics-page")).toBeInTheDocument();
    expect(screen.getByTestId("analytics-title")).toHaveTextContent("Spring sale");
    expect(screen.getByTestId("analytics-channel")).toHaveTextContent("Email");
    expect(screen.getByTestId("metric-delivered")).toHaveTextContent("7");
    expect(screen.getByText("of 8 sent · rates on delivered")).toBeInTheDocument();
    expect(screen.getByTestId("metric-open-rate-aside")).toHaveTextContent("+ 2 machine opens not counted");
    expect(screen.getByTestId("metric-click-rate")).toHaveTextContent("28.6%");
    expect(screen.getByTestId("metric-click-to-open")).toHaveTextContent("66.7%");
    expect(screen.getByTestId("metric-unsubscribes")).toHaveTextContent("1");
    expect(screen.getByTestId("metric-bounces")).toHaveTextContent("1");
    expect(screen.getByText(/1 hard \/ 0 soft/)).toBeInTheDocument();
    expect(screen.getByTestId("metric-complaints")).toHaveTextContent("0");

    expect(lastCell("opened")).toHaveTextContent(/^3$/);
    expect(lastCell("clicks_human_total")).toHaveTextContent(/^4$/);
    expect(lastCell("opens_machine_total")).toHaveTextContent(/^2$/);
    expect(lastCell("excluded_unsubscribed")).toHaveTextContent(/^2$/);
    expect(lastCell("open_rate")).toHaveTextContent("42.9%");
    expect(screen.queryByTestId("metric-row-sms_delivered")).not.toBeInTheDocument();

    const links = within(screen.getByTestId("top-links")).getAllByTestId("top-link-row");
    expect(links.map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["https://example.com/sale", "2", "3"],
      ["https://example.com/shoes", "1", "1"],
    ]);
    expect(spec("engagement")).toEqual({ kind: "engagement", campaignId: "cmp-1", from: null, to: null });
    expect(spec("funnel")).toEqual({ kind: "funnel", campaignId: "cmp-1" });
    expect(screen.queryByTestId("analytics-no-events")).not.toBeInTheDocument();
  });

  it("says the rates are on sent when the provider reported no delivery", async () => {
    const { analytics } = setup();
    analytics.add(report({}, { delivered: 0, basis: "sent", basisCount: 8, rates: { open: 3 / 8, click: 2 / 8, clickToOpen: 2 / 3, bounce: 1 / 8, complaint: 0, unsubscribe: 1 / 8 } }));
    renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("metric-open-rate")).toHaveTextContent("37.5%");
    const delivered = screen.getByTestId("metric-delivered");
    expect(delivered).toHaveTextContent("8");
    expect(delivered.parentElement).toHaveTextContent("Sent");
    expect(screen.getByText("no delivery reports yet · rates on sent")).toBeInTheDocument();
    expect(lastCell("rate_basis_count")).toHaveTextContent(/^8$/);
  });

  it("shows an SMS campaign's carrier reports and opt-outs instead of opens", async () => {
    const { analytics } = setup();
    analytics.add(
      report(
        { topLinks: [] },
        {
          channel: "sms",
          delivered: 5,
          opened: 0,
          opensHuman: { unique: 0, total: 0 },
          opensMachine: { unique: 0, total: 0 },
          clicksHuman: { unique: 0, total: 0 },
          bouncedHard: 0,
          unsubscribed: 0,
          failed: 1,
          sms: { delivered: 5, undelivered: 1, failed: 1, optOuts: 2 },
          basisCount: 5,
          rates: { open: 0, click: 0, clickToOpen: null, bounce: 0, complaint: 0, unsubscribe: 0.4 },
        },
      ),
    );
    renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("metric-delivered")).toHaveTextContent("5");
    expect(screen.getByTestId("analytics-channel")).toHaveTextContent("SMS");
    expect(screen.getByTestId("metric-undelivered")).toHaveTextContent("1");
    expect(screen.getByTestId("metric-failed")).toHaveTextContent("2");
    expect(screen.getByTestId("metric-opt-outs")).toHaveTextContent("2");
    expect(screen.getByText("40.0% of delivered")).toBeInTheDocument();
    expect(screen.queryByTestId("metric-open-rate")).not.toBeInTheDocument();
    expect(screen.queryByTestId("metric-row-opened")).not.toBeInTheDocument();
    expect(lastCell("sms_opt_outs")).toHaveTextContent(/^2$/);
    // Texts carry no pixel and no tracked links: no opens over time, no links; the funnel stays.
    expect(screen.queryByTestId("chart-stub-engagement")).not.toBeInTheDocument();
    expect(screen.queryByTestId("range-picker")).not.toBeInTheDocument();
    expect(screen.queryByTestId("top-links")).not.toBeInTheDocument();
    expect(screen.getByTestId("chart-stub-funnel")).toBeInTheDocument();
  });

  it("exports each part as a CSV file named after the campaign", async () => {
    const { fake, analytics } = setup();
    analytics.add(report());
    const saved: string[] = [];
    URL.createObjectURL = vi.fn(() => "blob:csv");
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderApp("/campaigns/cmp-1/analytics");
    for (const [i, part] of ["metrics", "series", "roster"].entries()) {
      await user.click(await screen.findByTestId("analytics-export"));
      await user.click(await screen.findByTestId(`analytics-export-${part}`));
      await waitFor(() => expect(saved).toHaveLength(i + 1));
    }
    expect(fake.callsOf("analytics_export").map((c) => c.args)).toEqual([
      { id: "cmp-1", part: "metrics" },
      { id: "cmp-1", part: "series" },
      { id: "cmp-1", part: "roster" },
    ]);
    expect(saved).toEqual(["spring-sale-metrics.csv", "spring-sale-time-series.csv", "spring-sale-recipients.csv"]);
    click.mockRestore();
  });

  it("changes the engagement chart's range with the presets and a custom range on the workspace's clocks", async () => {
    const { analytics } = setup();
    analytics.add(report());
    const { user } = renderApp("/campaigns/cmp-1/analytics");
    await screen.findByTestId("chart-stub-engagement");

    await user.click(screen.getByText("First 24 h"));
    expect(spec("engagement")).toMatchObject({ from: "2026-03-01T09:00:00.000Z", to: "2026-03-02T09:00:00.000Z" });
    await user.click(screen.getByText("First 7 days"));
    expect(spec("engagement")).toMatchObject({ from: "2026-03-01T09:00:00.000Z", to: "2026-03-08T09:00:00.000Z" });
    await user.click(screen.getByText("Last 30 days"));
    const last30 = spec("engagement");
    expect(last30.to).toBeNull();
    expect(Date.now() - Date.parse(last30.from as string)).toBeGreaterThanOrEqual(30 * 24 * 3600_000);

    // Europe/London is on GMT in March before the 29th: local = UTC.
    await user.click(screen.getByText("Custom"));
    const from = screen.getByLabelText("From");
    const to = screen.getByLabelText("To");
    await user.clear(from);
    await user.type(from, "2026-03-02T10:00");
    await user.clear(to);
    await user.type(to, "2026-03-01T10:00");
    await user.click(screen.getByTestId("range-apply"));
    expect(await screen.findByText("The end must be after the start")).toBeInTheDocument();
    expect(spec("engagement").to).toBeNull();
    await user.clear(to);
    await user.type(to, "2026-03-04T18:30");
    await user.click(screen.getByTestId("range-apply"));
    expect(spec("engagement")).toEqual({ kind: "engagement", campaignId: "cmp-1", from: "2026-03-02T10:00:00.000Z", to: "2026-03-04T18:30:00.000Z" });

    await user.click(screen.getByText("Since send"));
    expect(spec("engagement")).toMatchObject({ from: null, to: null });
  });

  it("says opens and clicks appear as the relay reports them when none has arrived yet", async () => {
    const { analytics } = setup();
    const quiet = {
      delivered: 0,
      opened: 0,
      opensHuman: { unique: 0, total: 0 },
      opensMachine: { unique: 0, total: 0 },
      clicksHuman: { unique: 0, total: 0 },
      bouncedHard: 0,
      unsubscribed: 0,
      basis: "sent" as const,
      basisCount: 8,
    };
    analytics.add(report({ topLinks: [] }, quiet));
    renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("analytics-no-events")).toHaveTextContent("No opens or clicks yet — they appear as the relay reports them.");
    expect(screen.queryByTestId("analytics-no-relay")).not.toBeInTheDocument();
  });

  it("says tracking needs a relay when none is set up, linking to Settings", async () => {
    const { analytics } = setup();
    analytics.add(
      report(
        { topLinks: [], relayConfigured: false, lastSyncAt: null },
        { delivered: 0, opened: 0, opensHuman: { unique: 0, total: 0 }, opensMachine: { unique: 0, total: 0 }, clicksHuman: { unique: 0, total: 0 }, bouncedHard: 0, unsubscribed: 0 },
      ),
    );
    renderApp("/campaigns/cmp-1/analytics");
    const notice = await screen.findByTestId("analytics-no-relay");
    expect(notice).toHaveTextContent("Tracking needs a relay");
    expect(within(notice).getByRole("link", { name: "Set up the relay in Settings" })).toHaveAttribute("href", "/settings");
  });

  it("shows an error with a retry that loads the report", async () => {
    const { fake, analytics } = setup();
    analytics.add(report());
    let fail = true;
    const answer = () => {
      if (fail) throw commandError("internal", "Something went wrong; details are in the log");
      return report();
    };
    fake.on("analytics_campaign", answer);
    const { user } = renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("analytics-error")).toHaveTextContent("The report could not be loaded");
    fail = false;
    await user.click(screen.getByTestId("analytics-error-retry"));
    expect(await screen.findByTestId("metric-open-rate")).toHaveTextContent("42.9%");
  });

  it("reads the numbers and the charts again when the app reports news, and on Refresh", async () => {
    const { fake, analytics } = setup();
    analytics.add(report());
    const { user } = renderApp("/campaigns/cmp-1/analytics");
    expect(await screen.findByTestId("metric-open-rate")).toHaveTextContent("42.9%");
    const before = screen.getByTestId("chart-stub-engagement").dataset.refresh;

    analytics.add(report({}, { opened: 4, rates: { ...report().metrics.rates, open: 4 / 7 } }));
    await act(() => emit("notifications-changed"));
    await waitFor(() => expect(screen.getByTestId("metric-open-rate")).toHaveTextContent("57.1%"));
    expect(screen.getByTestId("chart-stub-engagement").dataset.refresh).not.toBe(before);

    const reads = fake.callsOf("analytics_campaign").length;
    await user.click(screen.getByTestId("analytics-refresh"));
    await waitFor(() => expect(fake.callsOf("analytics_campaign")).toHaveLength(reads + 1));
  });
});
