import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../../test/fakeBackend";
import { FakeCampaigns } from "../../../../test/fakeCampaigns";
import { FakeSegments } from "../../../../test/fakeSegments";
import { FakeSms } from "../../../../test/fakeSms";
import { renderApp } from "../../../../test/render";
import { resetCampaignsStore } from "../../../stores/campaigns";

beforeEach(() => resetCampaignsStore());

function setup() {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", phone: "+447700900001", tags: ["customer"] });
  fake.add({ firstName: "Bartholomew-Maximilian", lastName: "Featherstonehaugh", phone: "+447700900002", tags: ["customer"] });
  fake.add({ firstName: "Eve", email: "eve@example.com", tags: ["customer"] });
  const segments = new FakeSegments(fake).install();
  const customers = segments.add({ name: "Customers", filter: { all: [{ field: "tag", op: "has_any", value: ["customer"] }] } });
  const campaigns = new FakeCampaigns(fake).install();
  const sms = new FakeSms(fake).install().withCampaigns(campaigns).configured();
  return { fake, customers, campaigns, sms };
}

const lastUpdate = (fake: FakeBackend) => (fake.callsOf("campaigns_update").at(-1)!.args as { input: Record<string, unknown> }).input;

/** A saved SMS draft for `segmentId`. */
function smsDraft(campaigns: FakeCampaigns, segmentId: string, textBody: string | null) {
  return campaigns.add({ channel: "sms", name: "Spring text", subject: "", html: "", segmentId, segmentName: "Customers", textBody, smsOptOut: true });
}

describe("SMS campaign wizard", () => {
  it("creates an SMS campaign with a name only, then asks for the text", async () => {
    const { fake, customers, campaigns } = setup();
    const { user } = renderApp("/campaigns/new");
    await user.click(await screen.findByTestId("channel-sms"));
    expect(screen.queryByTestId("campaign-subject")).not.toBeInTheDocument();
    await user.type(screen.getByTestId("campaign-name"), "Spring text");
    await user.click(screen.getByTestId("wizard-next"));
    await waitFor(() => expect(campaigns.campaigns).toHaveLength(1));
    const created = (fake.callsOf("campaigns_create")[0]!.args as { input: Record<string, unknown> }).input;
    expect(created).toMatchObject({ channel: "sms", name: "Spring text", smsOptOut: true });

    await user.click(await screen.findByTestId("campaign-segmentId"));
    await user.click(await screen.findByRole("option", { name: /Customers/ }));
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("sms-body")).toBeInTheDocument();
    expect(screen.queryByTestId("campaign-editor-mode")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-textBody")).toHaveTextContent("Write the message");

    await user.type(screen.getByTestId("sms-body"), "Hi, our sale starts today 🎉");
    await user.click(screen.getByTestId("wizard-next"));
    await waitFor(() => expect(lastUpdate(fake)).toMatchObject({ channel: "sms", textBody: "Hi, our sale starts today 🎉", smsOptOut: true }));
    expect(customers.id).toBe(lastUpdate(fake).segmentId);

    // Review: the text on a phone, with the opt-out line, and what it costs.
    expect(await screen.findByTestId("phone-preview-body")).toHaveTextContent("Hi, our sale starts today 🎉 Reply STOP to opt out");
    expect(screen.getByTestId("phone-preview-sender")).toHaveTextContent("+14155550123");
    expect(within(screen.getByTestId("sms-review-count")).getByTestId("sms-encoding")).toHaveTextContent("Unicode (UCS-2)");
  });

  it("shows the longest message over the audience at review", async () => {
    const { customers, campaigns } = setup();
    const body = "Dear {{ contact.first_name }} {{ contact.last_name }}, thank you for being a customer. Our spring sale starts today with 20% off everything in store!";
    const c = smsDraft(campaigns, customers.id, body);
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 3; i++) await user.click(await screen.findByTestId("wizard-next"));
    const worst = await screen.findByTestId("sms-worst");
    expect(worst).toHaveTextContent("2 parts (GSM-7");
    expect(worst).toHaveTextContent("for Bartholomew-Maximilian Featherstonehaugh");
    expect(worst).toHaveTextContent("At most 4 SMS for 2 recipients");
  });

  it("saves a removed opt-out line only after the confirmation", async () => {
    const { fake, customers, campaigns } = setup();
    const c = smsDraft(campaigns, customers.id, "Sale today");
    const { user } = renderApp(`/campaigns/${c.id}/edit?step=2`);
    await user.click(await screen.findByTestId("sms-opt-out-remove"));
    await user.click(await screen.findByTestId("sms-opt-out-confirm-ok"));
    expect(await screen.findByTestId("sms-opt-out-removed")).toBeInTheDocument();
    await user.click(screen.getByTestId("wizard-next"));
    await waitFor(() => expect(lastUpdate(fake)).toMatchObject({ smsOptOut: false }));
    expect(await screen.findByTestId("sms-review-opt-out")).toHaveTextContent("Opt-out instruction off");
    expect(await screen.findByTestId("phone-preview-body")).toHaveTextContent(/^Sale today$/);
  });

  it("sends a test SMS personalised as the chosen contact to at most five numbers", async () => {
    const { fake, customers, campaigns, sms } = setup();
    const c = smsDraft(campaigns, customers.id, "Hi {{ contact.first_name }}");
    const { user } = renderApp(`/campaigns/${c.id}/edit?step=3`);
    await user.click(await screen.findByTestId("test-send-open"));
    const dialog = await screen.findByRole("dialog");
    const numbers = within(dialog).getByTestId("sms-campaign-test-numbers");
    for (let i = 1; i <= 6; i++) await user.type(numbers, `+44770090010${i},`);
    await user.click(within(dialog).getByTestId("sms-campaign-test-contact"));
    await user.click(await screen.findByRole("option", { name: /Ada Lovelace/ }));
    await user.click(within(dialog).getByTestId("sms-campaign-test-send"));
    await waitFor(() => expect(fake.callsOf("campaign_test_send")).toHaveLength(1));
    const args = fake.callsOf("campaign_test_send")[0]!.args as { id: string; addresses: string[]; contactId: string };
    expect(args.addresses).toHaveLength(5);
    expect(args.contactId).toBe(fake.contacts[0]!.contact.id);
    expect(sms.sent[0]!.body).toBe("Hi Ada\nReply STOP to opt out");
  });
});
