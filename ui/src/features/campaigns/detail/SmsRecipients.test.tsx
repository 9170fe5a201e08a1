import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../../test/fakeBackend";
import { FakeCampaigns } from "../../../../test/fakeCampaigns";
import { renderApp } from "../../../../test/render";
import type { RecipientRow } from "../../../api/campaigns";
import { resetCampaignsStore } from "../../../stores/campaigns";

beforeEach(() => resetCampaignsStore());

function row(n: number, partial: Partial<RecipientRow>): RecipientRow {
  return {
    contactId: `contact-${n}`,
    address: `+4477009000${n}`,
    name: `Person ${n}`,
    status: "sent",
    attempts: 1,
    error: null,
    sentAt: Date.now(),
    openedAt: null,
    clickedAt: null,
    deliveryStatus: null,
    deliveryError: null,
    ...partial,
  };
}

describe("SMS campaign detail", () => {
  it("shows each text's delivery report and the carrier's error instead of opens", async () => {
    const fake = new FakeBackend().install();
    const campaigns = new FakeCampaigns(fake).install();
    const c = campaigns.add({ channel: "sms", name: "Spring text", subject: "", textBody: "Sale today", status: "sent", startedAt: Date.now() });
    campaigns.setLedger(c.id, [
      row(1, { deliveryStatus: "delivered" }),
      row(2, { deliveryStatus: "undelivered", deliveryError: "30003: Unreachable destination handset" }),
      row(3, { deliveryStatus: null }),
      row(4, { status: "failed", sentAt: null, error: "Not a mobile number (error 21614)" }),
    ]);
    renderApp(`/campaigns/${c.id}`);
    const table = await screen.findByTestId("recipients-table");
    expect(within(table).getByText("Delivery")).toBeInTheDocument();
    expect(within(table).queryByText("Opened / clicked")).not.toBeInTheDocument();
    await waitFor(() => expect(within(table).getAllByTestId("recipient-row")).toHaveLength(4));
    const rows = within(table).getAllByTestId("recipient-row");
    expect(within(rows[0]!).getByTestId("delivery-status")).toHaveTextContent("Delivered");
    expect(within(rows[1]!).getByTestId("delivery-status")).toHaveTextContent("Undelivered");
    expect(within(rows[1]!).getByTestId("recipient-error")).toHaveTextContent("30003: Unreachable destination handset");
    expect(within(rows[2]!).getByTestId("delivery-status")).toHaveTextContent("No report yet");
    expect(within(rows[3]!).queryByTestId("delivery-status")).not.toBeInTheDocument();
    expect(within(rows[3]!).getByTestId("recipient-error")).toHaveTextContent("error 21614");
    expect(screen.getByText("Sale today")).toBeInTheDocument();
    // The progress card counts delivery reports, not opens and clicks.
    expect(await screen.findByTestId("progress-delivered")).toHaveTextContent("1 ·");
    expect(screen.getByTestId("progress-undelivered")).toHaveTextContent("1");
    expect(screen.queryByTestId("progress-opened")).not.toBeInTheDocument();
  });

  it("speaks of texts and the SMS settings while sending", async () => {
    const fake = new FakeBackend().install();
    const campaigns = new FakeCampaigns(fake).install();
    const c = campaigns.add({ channel: "sms", name: "Spring text", subject: "", textBody: "Sale today", status: "sending", startedAt: Date.now() });
    campaigns.ledger.set(c.id, [row(1, {}), row(2, { status: "queued", sentAt: null })]);
    renderApp(`/campaigns/${c.id}`);
    expect(await screen.findByTestId("progress-rate")).toHaveTextContent("12.5 texts/s");
    expect(screen.getByText("As in Settings → SMS")).toBeInTheDocument();
  });
});
