import { act, screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../../test/fakeBackend";
import { FakeCampaigns } from "../../../../test/fakeCampaigns";
import { renderApp } from "../../../../test/render";
import { resetCampaignsStore } from "../../../stores/campaigns";
import { POLL_MS } from "./useProgress";

beforeEach(() => resetCampaignsStore());

function setup() {
  const fake = new FakeBackend().install();
  const campaigns = new FakeCampaigns(fake).install();
  return { fake, campaigns };
}

describe("campaign detail", () => {
  it("shows live progress while sending, read every second, until it is sent", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", status: "sending", segmentName: "Customers" });
    campaigns.fillLedger(c.id, Array.from({ length: 250 }, () => "queued" as const));
    renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("progress-remaining")).toHaveTextContent("250");
    expect(screen.getByTestId("progress-sent")).toHaveTextContent("0");
    expect(screen.getByTestId("progress-rate")).toHaveTextContent("12.5 emails/s");

    campaigns.tick(c.id);
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    await waitFor(() => expect(screen.getByTestId("progress-sent")).toHaveTextContent("100"));
    expect(screen.getByTestId("progress-remaining")).toHaveTextContent("150");

    campaigns.tick(c.id);
    campaigns.tick(c.id);
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    await waitFor(() => expect(screen.getByTestId("progress-sent")).toHaveTextContent("250"));
    await waitFor(() => expect(within(screen.getByRole("heading", { level: 2 })).getByTestId("campaign-status")).toHaveTextContent("Sent"));
    // Sent: the polling stops.
    const polls = fake.callsOf("campaign_progress").length;
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 3));
    expect(fake.callsOf("campaign_progress").length).toBeLessThanOrEqual(polls + 1);
  });

  it("pauses only after a confirmation, then offers to resume", async () => {
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", status: "sending" });
    campaigns.fillLedger(c.id, ["sent", "queued", "queued"]);
    const { user } = renderApp(`/campaigns/${c.id}`);
    await user.click(await screen.findByTestId("campaign-pause"));
    expect(await screen.findByText("Pause sending?")).toBeInTheDocument();
    expect(fake.callsOf("campaign_pause")).toHaveLength(0);
    await user.click(screen.getByTestId("campaign-confirm-ok"));
    await waitFor(() => expect(fake.callsOf("campaign_pause")).toHaveLength(1));
    expect(await screen.findByTestId("campaign-resume")).toBeInTheDocument();
    expect(campaigns.campaigns[0]!.status).toBe("paused");
    await user.click(screen.getByTestId("campaign-resume"));
    expect(await screen.findByTestId("campaign-pause")).toBeInTheDocument();
  });

  it("explains recipients in doubt and resends to exactly them after a confirmation", async () => {
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", status: "paused" });
    campaigns.fillLedger(c.id, ["sent", "in_doubt", "failed", "in_doubt"]);
    const { user } = renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("in-doubt-explainer")).toHaveTextContent("may have arrived or not");
    await user.click(screen.getByTestId("resend-in-doubt"));
    expect(await screen.findByText("Resend to 2 people in doubt?")).toBeInTheDocument();
    await user.click(screen.getByTestId("campaign-confirm-ok"));
    await waitFor(() => expect(fake.callsOf("campaign_resend_in_doubt")).toHaveLength(1));
    expect(fake.callsOf("campaign_resend_in_doubt")[0]!.args).toEqual({ id: c.id, contactIds: ["contact-2", "contact-4"] });
  });

  it("retries failed recipients after a confirmation", async () => {
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", status: "sent" });
    campaigns.fillLedger(c.id, ["sent", "failed"]);
    const { user } = renderApp(`/campaigns/${c.id}`);
    await user.click(await screen.findByTestId("retry-failed"));
    await user.click(await screen.findByTestId("campaign-confirm-ok"));
    await waitFor(() => expect(fake.callsOf("campaign_retry_failed")).toHaveLength(1));
  });

  it("lists recipients by status with their errors, and exports them as CSV", async () => {
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", status: "sent" });
    campaigns.fillLedger(c.id, ["sent", "failed", "sent"]);
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return "blob:csv";
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const { user } = renderApp(`/campaigns/${c.id}`);
    await waitFor(() => expect(screen.getAllByTestId("recipient-row")).toHaveLength(3));
    await user.click(screen.getByTestId("recipients-status"));
    await user.click(await screen.findByRole("option", { name: "Failed" }));
    await waitFor(() => expect(screen.getAllByTestId("recipient-row")).toHaveLength(1));
    expect(screen.getByTestId("recipient-row")).toHaveTextContent("550 5.1.1 mailbox unavailable");

    await user.click(screen.getByTestId("recipients-export"));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(fake.callsOf("campaign_recipients_export")[0]!.args).toEqual({ id: c.id, status: "failed" });
    expect(await created[0]!.text()).toBe("address,name,status\nperson2@example.com,Person 2,failed\n");
    click.mockRestore();
  });

  it("offers send now and schedule for a draft, and cancel asks first", async () => {
    const { fake, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: "s-1" });
    const { user } = renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("campaign-send-now")).toBeEnabled();
    expect(screen.getByTestId("campaign-schedule")).toBeInTheDocument();
    expect(screen.getByTestId("campaign-not-started")).toHaveTextContent("Nothing has been sent yet");
    await user.click(screen.getByTestId("campaign-cancel"));
    expect(await screen.findByText("Cancel “Spring sale”?")).toBeInTheDocument();
    expect(fake.callsOf("campaign_cancel")).toHaveLength(0);
  });

  it("schedules a draft through the wizard's last step, or the first step still missing something", async () => {
    const { campaigns } = setup();
    const ready = campaigns.add({ name: "Ready", segmentId: "s-1", html: "<p>Hi</p>" });
    const empty = campaigns.add({ name: "Unwritten", segmentId: "s-1", html: "" });
    const first = renderApp(`/campaigns/${ready.id}`);
    await first.user.click(await screen.findByTestId("campaign-schedule"));
    expect(await screen.findByTestId("send-mode-later")).toBeInTheDocument();
    first.unmount();
    const second = renderApp(`/campaigns/${empty.id}`);
    await second.user.click(await screen.findByTestId("campaign-schedule"));
    expect(await screen.findByTestId("template-picker")).toBeInTheDocument();
    expect(screen.queryByTestId("send-mode-later")).not.toBeInTheDocument();
  });

  it("asks before sending a scheduled campaign whose time passed while the app was closed", async () => {
    const { campaigns } = setup();
    const c = campaigns.add({ name: "Late news", status: "scheduled", scheduledAt: Date.now() - 3 * 60 * 60 * 1000 });
    renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("campaign-overdue")).toHaveTextContent("was not sent");
    expect(screen.getByTestId("campaign-send-overdue")).toBeInTheDocument();
  });

  describe("a scheduled campaign that could not start", () => {
    const reason = "Email sending is not set up yet: add your SMTP server in Settings → Email";
    function failed(campaigns: FakeCampaigns, dueAgo: number) {
      const failedAt = Date.now() - dueAgo;
      return campaigns.add({
        name: "Autumn news",
        status: "scheduled",
        segmentId: "s-1",
        scheduledAt: failedAt,
        startFailure: { kind: "validation", message: reason, failedAt, retryAt: failedAt + 5 * 60 * 1000 },
      });
    }

    it("says why in a red alert, with the edit, send now and unschedule it offers", async () => {
      const { fake, campaigns } = setup();
      const c = failed(campaigns, 2 * 60 * 1000);
      const { user } = renderApp(`/campaigns/${c.id}`);
      const alert = await screen.findByTestId("campaign-start-failure");
      expect(alert).toHaveTextContent("This campaign could not start");
      expect(screen.getByTestId("campaign-start-failure-reason")).toHaveTextContent(reason);
      expect(alert).toHaveTextContent("nothing has been sent");
      expect(screen.getByTestId("campaign-start-failure-when")).toHaveTextContent("Herald tries again from");
      expect(within(alert).getByTestId("campaign-start-failure-edit")).toHaveAttribute("href", `/campaigns/${c.id}/edit`);
      expect(screen.getByTestId("campaign-not-started")).toHaveTextContent("could not start");

      await user.click(within(alert).getByTestId("campaign-start-failure-unschedule"));
      await waitFor(() => expect(fake.callsOf("campaign_unschedule")).toHaveLength(1));
      await waitFor(() => expect(screen.queryByTestId("campaign-start-failure")).not.toBeInTheDocument());
      expect(within(screen.getByRole("heading", { level: 2 })).getByTestId("campaign-status")).toHaveTextContent("Draft");
    });

    it("sends now after the usual confirmation", async () => {
      const { fake, campaigns } = setup();
      const c = failed(campaigns, 2 * 60 * 1000);
      const { user } = renderApp(`/campaigns/${c.id}`);
      await user.click(await screen.findByTestId("campaign-start-failure-send"));
      expect(await screen.findByTestId("send-confirm-title")).toHaveTextContent("Send to");
      await user.click(screen.getByTestId("send-confirm"));
      await waitFor(() => expect(fake.callsOf("campaign_send_now")).toHaveLength(1));
      await waitFor(() => expect(screen.queryByTestId("campaign-start-failure")).not.toBeInTheDocument());
    });

    it("is not mistaken for one whose time passed while the app was closed", async () => {
      const { campaigns } = setup();
      const c = failed(campaigns, 3 * 60 * 60 * 1000);
      renderApp(`/campaigns/${c.id}`);
      expect(await screen.findByTestId("campaign-start-failure")).toBeInTheDocument();
      expect(screen.queryByTestId("campaign-overdue")).not.toBeInTheDocument();
      expect(screen.getByTestId("campaign-start-failure-when")).toHaveTextContent("Herald no longer tries on its own");
    });
  });

  it("offers to resume a campaign that failed, with the reason", async () => {
    const { campaigns } = setup();
    const c = campaigns.add({ name: "Stopped", status: "failed", lastError: "535 5.7.8 Authentication failed" });
    renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("campaign-last-error")).toHaveTextContent("535 5.7.8");
    expect(screen.getByTestId("campaign-resume")).toBeInTheDocument();
  });

  it("says opens and clicks were not counted when no relay is set up, instead of 0 %", async () => {
    const { campaigns } = setup();
    campaigns.audience = { ...campaigns.audience, trackingOn: false, trackingNote: "No relay is set up, so opens and clicks are not tracked." };
    const c = campaigns.add({ name: "Spring news", status: "sent", tracking: true, segmentId: "segment-1", segmentName: "Newsletter" });
    campaigns.fillLedger(c.id, ["sent", "sent", "sent"]);
    renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByText("Not counted: no relay")).toBeInTheDocument();
    // No sender of its own: the settings' one, said plainly.
    expect(screen.getByText("As in Settings → Email")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("progress-opened")).toHaveTextContent("—"));
    expect(screen.getByTestId("progress-clicked")).toHaveTextContent("—");
    expect(screen.getByTestId("progress-sent")).toHaveTextContent("3");
  });

  it("shows opens and clicks as counts when the relay tracks them", async () => {
    const { campaigns } = setup();
    const c = campaigns.add({ name: "Spring news", status: "sent", tracking: true, segmentId: "segment-1", segmentName: "Newsletter" });
    campaigns.fillLedger(c.id, ["sent", "sent"]);
    renderApp(`/campaigns/${c.id}`);
    await waitFor(() => expect(screen.getByTestId("progress-opened")).toHaveTextContent("0 · 0%"));
    expect(screen.getByText("Opens and clicks")).toBeInTheDocument();
  });
});
