import { emit } from "@tauri-apps/api/event";
import { act, screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";
import type { DashboardCampaign, DashboardSending, DashboardTotals, DashboardView } from "../../api/dashboard";
import { NOTIFICATIONS_CHANGED_EVENT } from "../../api/notifications";
import { SENDING_POLL_MS } from "./useCampaignOverview";

// The chart is drawn by the backend and tested on its own; here it only
// shows which chart the dashboard asked for.
vi.mock("../analytics/AnalyticsChart", () => ({
  AnalyticsChart: (props: { spec: { kind: string }; title: string }) => (
    <div data-testid="chart-stub" data-kind={props.spec.kind}>
      {props.title}
    </div>
  ),
}));

const ZERO: DashboardTotals = { sent: 0, uniqueOpens: 0, uniqueClicks: 0, unsubscribes: 0 };

const WEEKS = Array.from({ length: 12 }, (_, i) => ({
  weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString(),
  subscribed: i === 11 ? 4 : i === 10 ? 1 : 0,
  unsubscribed: i === 11 ? 2 : 0,
  net: i === 11 ? 2 : i === 10 ? 1 : 0,
}));

function campaign(partial: Partial<DashboardCampaign> & { id: string; name: string }): DashboardCampaign {
  return {
    channel: "email",
    status: "sent",
    startedAt: "2026-11-20T09:00:00.000Z",
    sent: 1000,
    basis: "delivered",
    openRate: 0.4286,
    clickRate: 0.051,
    deliveredRate: 0.98,
    ...partial,
  };
}

function overview(partial: Partial<DashboardView> = {}): DashboardView {
  return {
    empty: false,
    recent: [
      campaign({ id: "c-news", name: "November news" }),
      campaign({ id: "c-sms", name: "Flash sale text", channel: "sms", basis: "sent", openRate: 0, clickRate: null, deliveredRate: null, sent: 0 }),
    ],
    sending: null,
    last30Days: { sent: 150, uniqueOpens: 30, uniqueClicks: 5, unsubscribes: 6 },
    previous30Days: { sent: 100, uniqueOpens: 40, uniqueClicks: 0, unsubscribes: 2 },
    growth: WEEKS,
    ...partial,
  };
}

function fakeWith(view: DashboardView | (() => DashboardView) = overview()): FakeBackend {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", email: "ada@example.com", tags: ["vip", "newsletter"], createdAt: "2024-05-01T00:00:00Z" });
  fake.add({ firstName: "Grace", email: "grace@example.com", tags: ["newsletter"], emailStatus: "unsubscribed", smsStatus: "opted_out", createdAt: "2024-04-01T00:00:00Z" });
  fake.add({ firstName: "Tim", email: "tim@example.com", tags: ["newsletter"], emailStatus: "bounced", createdAt: "2024-03-01T00:00:00Z" });
  fake.add({ firstName: "Linus", phone: "+14155552671", createdAt: "2024-02-01T00:00:00Z" });
  fake.tagNames.push("unused");
  fake.on("analytics_dashboard", () => (typeof view === "function" ? view() : view));
  return fake;
}

describe("dashboard", () => {
  it("shows the real counts, the newest contacts and the top tags", async () => {
    fakeWith();
    renderApp("/");
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4"));
    expect(screen.getByTestId("stat-email-subscribed")).toHaveTextContent("2");
    expect(screen.getByTestId("stat-email-unsubscribed")).toHaveTextContent("1");
    expect(screen.getByTestId("stat-sms-subscribed")).toHaveTextContent("3");
    expect(screen.getByText("Ada")).toBeInTheDocument();
    const tags = screen.getByTestId("top-tags");
    expect(within(tags).getAllByText(/newsletter|vip/).map((e) => e.textContent)).toEqual(["newsletter", "vip"]);
    expect(tags).not.toHaveTextContent("unused");
  });

  it("offers the import and add-contact shortcuts", async () => {
    fakeWith();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("dashboard-add-contact"));
    expect(await screen.findByTestId("contact-form")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-dashboard"));
    await user.click(await screen.findByTestId("dashboard-import"));
    expect(await screen.findByTestId("import-dropzone")).toBeInTheDocument();
  });

  it("offers new campaign and new segment shortcuts", async () => {
    fakeWith();
    renderApp("/");
    expect(await screen.findByTestId("dashboard-shortcut-campaign")).toHaveAttribute("href", "/campaigns/new");
    expect(screen.getByTestId("dashboard-shortcut-segment")).toHaveAttribute("href", "/segments/new");
  });

  it("shows an error where the overview would be, with a retry", async () => {
    const fake = fakeWith();
    fake.on("tags_list", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/");
    expect(await screen.findByTestId("dashboard-error")).toHaveTextContent("Something went wrong");
    fake.overrides.delete("tags_list");
    await user.click(screen.getByTestId("dashboard-error-retry"));
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4"));
  });
});

describe("dashboard campaigns summary", () => {
  it("lists the last campaigns with status, sent count and rates on their basis, each opening its report", async () => {
    fakeWith();
    renderApp("/");
    const rows = await screen.findAllByTestId("dashboard-campaign-row");
    expect(rows.map((r) => r.getAttribute("href"))).toEqual(["/campaigns/c-news/analytics", "/campaigns/c-sms/analytics"]);
    expect(rows[0]).toHaveTextContent("November news");
    expect(within(rows[0]!).getByTestId("campaign-status")).toHaveTextContent("Sent");
    expect(rows[0]).toHaveTextContent("1,000 sent · rates of delivered");
    expect(rows[0]).toHaveTextContent("42.9%opens");
    expect(rows[0]).toHaveTextContent("5.1%clicks");
    expect(within(rows[0]!).getByLabelText("Email")).toBeInTheDocument();
    // A text has no opens and no tracked links: how many arrived, and no
    // rate before anything was sent.
    expect(within(rows[1]!).getByLabelText("SMS")).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("rates of sent");
    expect(rows[1]).not.toHaveTextContent("opens");
    expect(rows[1]).not.toHaveTextContent("clicks");
    expect(rows[1]).toHaveTextContent("—delivered");
  });

  it("shows the campaign sending now on top with its progress, refreshed until it finishes", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const sending = (sent: number, failed: number, inDoubt: number): DashboardSending => ({
      id: "c-live",
      name: "Black Friday",
      channel: "email",
      recipients: 10,
      sent,
      failed,
      inDoubt,
    });
    const live = campaign({ id: "c-live", name: "Black Friday", status: "sending", sent: 4 });
    const answers = [
      overview({ sending: sending(4, 1, 1), recent: [live, ...overview().recent] }),
      overview({ sending: sending(8, 1, 1), recent: [{ ...live, sent: 8 }, ...overview().recent] }),
      overview({ recent: [{ ...live, status: "sent", sent: 8 }, ...overview().recent] }),
    ];
    let call = 0;
    const fake = fakeWith(() => answers[Math.min(call++, answers.length - 1)]!);
    renderApp("/");

    const card = await screen.findByTestId("dashboard-sending");
    expect(card).toHaveAttribute("href", "/campaigns/c-live");
    expect(card).toHaveTextContent("Black Friday");
    expect(screen.getByTestId("dashboard-sending-handled")).toHaveTextContent("6 of 10 recipients handled · 60% · 1 failed · 1 in doubt");
    // The sending one is on top, not listed twice.
    expect(screen.getAllByTestId("dashboard-campaign-row").some((r) => r.textContent?.includes("Black Friday"))).toBe(false);
    expect(within(screen.getByTestId("dashboard-campaigns")).getAllByText("Black Friday")).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(SENDING_POLL_MS));
    await waitFor(() => expect(screen.getByTestId("dashboard-sending-handled")).toHaveTextContent("10 of 10 recipients handled · 100%"));

    await act(() => vi.advanceTimersByTimeAsync(SENDING_POLL_MS));
    await waitFor(() => expect(screen.queryByTestId("dashboard-sending")).not.toBeInTheDocument());
    expect(screen.getAllByTestId("dashboard-campaign-row")[0]).toHaveTextContent("Black Friday");
    // Nothing is sending any more: no more reads.
    const reads = fake.callsOf("analytics_dashboard").length;
    await act(() => vi.advanceTimersByTimeAsync(SENDING_POLL_MS * 3));
    expect(fake.callsOf("analytics_dashboard")).toHaveLength(reads);
  });

  it("reads the overview once when nothing is sending", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fake = fakeWith();
    renderApp("/");
    await screen.findAllByTestId("dashboard-campaign-row");
    await act(() => vi.advanceTimersByTimeAsync(SENDING_POLL_MS * 3));
    expect(fake.callsOf("analytics_dashboard")).toHaveLength(1);
  });

  it("reads the overview again when the app stored a notification, such as a campaign finished", async () => {
    let view = overview({ recent: [] });
    const fake = fakeWith(() => view);
    renderApp("/");
    expect(await screen.findByTestId("dashboard-campaigns")).toHaveTextContent("No campaigns yet");
    view = overview();
    await act(() => emit(NOTIFICATIONS_CHANGED_EVENT));
    expect(await screen.findAllByTestId("dashboard-campaign-row")).toHaveLength(2);
    expect(fake.callsOf("analytics_dashboard")).toHaveLength(2);
  });

  it("shows its own error with a retry, and the contact widgets still", async () => {
    let fail = true;
    const fake = fakeWith();
    fake.on("analytics_dashboard", () => {
      if (fail) throw commandError("internal", "Something went wrong; details are in the log");
      return overview();
    });
    const { user } = renderApp("/");
    expect(await screen.findByTestId("dashboard-campaigns-error")).toHaveTextContent("Something went wrong");
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4"));
    fail = false;
    await user.click(screen.getByTestId("dashboard-campaigns-error-retry"));
    expect(await screen.findAllByTestId("dashboard-campaign-row")).toHaveLength(2);
  });
});

describe("dashboard last 30 days", () => {
  it("shows each total with its change, green when good and red when bad", async () => {
    fakeWith();
    renderApp("/");
    await screen.findByTestId("period-sent");
    const metric = (id: string) => ({
      value: screen.getByTestId(`${id}-value`).textContent,
      change: screen.getByTestId(`${id}-change`).textContent,
      tone: screen.getByTestId(`${id}-change`).getAttribute("data-tone"),
    });
    expect(metric("period-sent")).toEqual({ value: "150", change: "▲ 50%", tone: "good" });
    expect(metric("period-opens")).toEqual({ value: "30", change: "▼ 25%", tone: "bad" });
    // None the 30 days before: new, not an infinite percentage.
    expect(metric("period-clicks")).toEqual({ value: "5", change: "new", tone: "good" });
    // More unsubscribes is bad news.
    expect(metric("period-unsubscribes")).toEqual({ value: "6", change: "▲ 200%", tone: "bad" });
    expect(screen.getByTestId("period-unsubscribes")).toHaveTextContent("vs 2");
  });

  it("says no change when both periods had none", async () => {
    fakeWith(overview({ last30Days: { ...ZERO, sent: 10 }, previous30Days: { ...ZERO, sent: 10 } }));
    renderApp("/");
    expect(await screen.findByTestId("period-opens-change")).toHaveTextContent("no change");
    expect(screen.getByTestId("period-sent-change")).toHaveAttribute("data-tone", "neutral");
  });
});

describe("dashboard audience growth", () => {
  it("shows the weekly growth chart with the period's net in one line", async () => {
    fakeWith();
    renderApp("/");
    const growth = await screen.findByTestId("dashboard-growth");
    expect(within(growth).getByTestId("chart-stub")).toHaveAttribute("data-kind", "growth");
    expect(within(growth).getByTestId("chart-stub")).toHaveTextContent("Audience growth");
    expect(within(growth).getByTestId("growth-summary")).toHaveTextContent("Net +3 email subscribers over 12 weeks (5 subscribed, 2 unsubscribed)");
  });
});

describe("dashboard first run", () => {
  it("guides a workspace with contacts but no campaign to send its first, instead of zero widgets", async () => {
    fakeWith(overview({ recent: [], last30Days: ZERO, previous30Days: ZERO }));
    renderApp("/");
    const firstRun = await screen.findByTestId("dashboard-first-run");
    expect(firstRun).toHaveTextContent("Send your first campaign");
    await waitFor(() => expect(firstRun).toHaveTextContent("4 contacts in this workspace."));
    expect(within(firstRun).getByText("Create a segment")).toHaveAttribute("href", "/segments/new");
    const campaigns = screen.getByTestId("dashboard-campaigns");
    expect(campaigns).toHaveTextContent("No campaigns yet");
    expect(within(campaigns).getByTestId("dashboard-create-campaign")).toHaveAttribute("href", "/campaigns/new");
    expect(screen.queryByTestId("dashboard-period")).not.toBeInTheDocument();
    expect(screen.queryByTestId("dashboard-growth")).not.toBeInTheDocument();
    // The contact widgets have something to show, so they stay.
    expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4");
  });

  it("shows a wholly empty workspace the steps once onboarding was left", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_dashboard", () => overview({ empty: true, recent: [], last30Days: ZERO, previous30Days: ZERO }));
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("onboarding-empty"));
    await user.click(await screen.findByTestId("nav-dashboard"));
    const firstRun = await screen.findByTestId("dashboard-first-run");
    expect(firstRun).toHaveTextContent("Get started with Herald");
    expect(firstRun).toHaveTextContent("Bring in your contacts");
    expect(firstRun).toHaveTextContent("Send your first campaign");
    expect(within(firstRun).getByText("Import CSV").closest("a")).toHaveAttribute("href", "/import");
    expect(screen.queryByTestId("stat-contacts")).not.toBeInTheDocument();
    expect(screen.queryByTestId("dashboard-period")).not.toBeInTheDocument();
  });
});
