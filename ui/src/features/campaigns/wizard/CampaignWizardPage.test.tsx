import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../../test/fakeBackend";
import { FakeCampaigns } from "../../../../test/fakeCampaigns";
import { FakeRelay } from "../../../../test/fakeRelay";
import { FakeSegments } from "../../../../test/fakeSegments";
import { renderApp } from "../../../../test/render";
import { resetCampaignsStore } from "../../../stores/campaigns";

beforeEach(() => resetCampaignsStore());

// ProseMirror measures the selection to scroll it into view; jsdom has no layout.
beforeAll(() => {
  const rects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  const rect = () => new DOMRect(0, 0, 0, 0);
  Range.prototype.getClientRects ??= rects;
  Range.prototype.getBoundingClientRect ??= rect;
  document.elementFromPoint ??= () => null;
  (Selection.prototype as { modify?: () => void }).modify ??= () => {};
});

function setup() {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", tags: ["customer"] });
  const segments = new FakeSegments(fake).install();
  const customers = segments.add({ name: "Customers", filter: { all: [{ field: "tag", op: "has_any", value: ["customer"] }] } });
  const campaigns = new FakeCampaigns(fake).install();
  campaigns.settings = { ...campaigns.settings, fromName: "Acme", fromAddress: "news@acme.example", configured: true };
  return { fake, segments, customers, campaigns };
}

describe("campaign wizard", () => {
  it("checks the details inline before saving anything", async () => {
    const { fake } = setup();
    const { user } = renderApp("/campaigns/new");
    await user.click(await screen.findByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-name")).toHaveTextContent("Give the campaign a name");
    expect(screen.getByTestId("campaign-error-subject")).toHaveTextContent("Write a subject line");
    await user.type(screen.getByTestId("campaign-name"), "Spring sale");
    await user.type(screen.getByTestId("campaign-subject"), "Hello");
    await user.type(screen.getByTestId("campaign-fromAddress"), "not-an-address");
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-fromAddress")).toHaveTextContent("“not-an-address” is not an email address");
    expect(screen.queryByTestId("campaign-error-name")).not.toBeInTheDocument();
    expect(fake.callsOf("campaigns_create")).toHaveLength(0);
  });

  it("shows the backend's validation error under the field it names", async () => {
    const { fake } = setup();
    const { user } = renderApp("/campaigns/new");
    await user.type(await screen.findByTestId("campaign-name"), "Spring sale");
    await user.type(screen.getByTestId("campaign-subject"), "Hi {{{{ contact.frist_name }}");
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-subject")).toHaveTextContent("unknown variable contact.frist_name");
    expect(fake.callsOf("campaigns_create")).toHaveLength(1);
    expect(screen.getByTestId("campaign-subject")).toHaveAttribute("aria-invalid", "true");
  });

  it("inserts a variable into the subject from the picker", async () => {
    setup();
    const { user } = renderApp("/campaigns/new");
    await user.type(await screen.findByTestId("campaign-subject"), "Hi ");
    await user.click(screen.getByTestId("subject-variables"));
    await user.click(await screen.findByTestId("variable-contact.first_name"));
    expect(screen.getByTestId("campaign-subject")).toHaveValue("Hi {{ contact.first_name }}");
  });

  it("saves on Next and shows who would receive it, and who is excluded", async () => {
    const { fake, customers, campaigns } = setup();
    const { user } = renderApp("/campaigns/new");
    await user.type(await screen.findByTestId("campaign-name"), "Spring sale");
    await user.type(screen.getByTestId("campaign-subject"), "Hello");
    await user.click(screen.getByTestId("wizard-next"));
    await waitFor(() => expect(campaigns.campaigns).toHaveLength(1));
    expect(campaigns.campaigns[0]!.name).toBe("Spring sale");

    await user.click(await screen.findByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-segmentId")).toHaveTextContent("Choose who receives this campaign");

    await user.click(screen.getByTestId("campaign-segmentId"));
    await user.click(await screen.findByRole("option", { name: /Customers/ }));
    expect(await screen.findByTestId("audience-will-receive")).toHaveTextContent("1,204 people will receive it");
    expect(screen.getByTestId("audience-excluded")).toHaveTextContent("31 unsubscribed, 4 bounced are excluded, of 1,239 contacts in the segment.");
    const update = fake.callsOf("campaigns_update").at(-1)!.args as { input: { segmentId: string } };
    expect(update.input.segmentId).toBe(customers.id);
  });

  it("confirms the exact number before sending and passes it on as expectedRecipients", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, segmentName: "Customers", html: "<p>Hi</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 4; i++) await user.click(await screen.findByTestId("wizard-next"));
    expect(await screen.findByTestId("send-mode-now")).toBeChecked();
    await user.click(screen.getByTestId("send-go"));
    expect(await screen.findByTestId("send-confirm-title")).toHaveTextContent("Send to 1,204 people now?");
    expect(fake.callsOf("campaign_send_now")).toHaveLength(0);
    await user.click(screen.getByTestId("send-confirm"));
    await waitFor(() => expect(fake.callsOf("campaign_send_now")).toHaveLength(1));
    expect(fake.callsOf("campaign_send_now")[0]!.args).toEqual({ id: c.id, expectedRecipients: 1204 });
    expect(await screen.findByTestId("campaign-progress")).toBeInTheDocument();
  });

  it("keeps the dialog open with the new number when the audience changed before confirming", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Hi</p>" });
    const { user } = renderApp(`/campaigns/${c.id}`);
    await user.click(await screen.findByTestId("campaign-send-now"));
    expect(await screen.findByTestId("send-confirm-title")).toHaveTextContent("Send to 1,204 people now?");
    campaigns.audience = { ...campaigns.audience, willReceive: 1203 };
    await user.click(screen.getByTestId("send-confirm"));
    expect(await screen.findByTestId("send-confirm-error")).toHaveTextContent("The audience changed");
    expect(await screen.findByTestId("send-confirm-title")).toHaveTextContent("Send to 1,203 people now?");
    expect(fake.callsOf("campaign_send_now")[0]!.args).toEqual({ id: c.id, expectedRecipients: 1204 });
  });

  it("schedules in the workspace's time zone after a confirmation", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Hi</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 4; i++) await user.click(await screen.findByTestId("wizard-next"));
    await user.click(await screen.findByTestId("send-mode-later"));
    const input = screen.getByTestId("schedule-at");
    await user.clear(input);
    await user.type(input, "2099-07-01T09:30");
    await user.click(screen.getByTestId("send-go"));
    expect(await screen.findByTestId("send-confirm-title")).toHaveTextContent("Schedule for 1,204 people?");
    expect(screen.getByTestId("send-confirm-body")).toHaveTextContent("(Europe/London)");
    await user.click(screen.getByTestId("send-confirm"));
    await waitFor(() => expect(fake.callsOf("campaign_schedule")).toHaveLength(1));
    // 09:30 in London in July is 08:30 UTC.
    expect(fake.callsOf("campaign_schedule")[0]!.args).toEqual({ id: c.id, at: Date.UTC(2099, 6, 1, 8, 30) });
  });

  it("refuses a time in the past", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Hi</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 4; i++) await user.click(await screen.findByTestId("wizard-next"));
    await user.click(await screen.findByTestId("send-mode-later"));
    await user.clear(screen.getByTestId("schedule-at"));
    await user.type(screen.getByTestId("schedule-at"), "2001-01-01T09:00");
    await user.click(screen.getByTestId("send-go"));
    expect(await screen.findByTestId("schedule-error")).toHaveTextContent("Pick a time in the future");
    expect(fake.callsOf("campaign_audience").length).toBeGreaterThan(0);
    expect(screen.queryByTestId("send-confirm-title")).not.toBeInTheDocument();
  });

  it("loads a template into the editor and previews the message in a script-free frame", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 2; i++) await user.click(await screen.findByTestId("wizard-next"));
    await user.click(await screen.findByTestId("wizard-next"));
    expect(await screen.findByTestId("campaign-error-html")).toHaveTextContent("Write the message");

    const cards = await screen.findAllByTestId("template-card");
    await user.click(cards.find((el) => el.textContent?.includes("Newsletter"))!);
    await waitFor(() => expect(screen.getByTestId("campaign-editor")).toHaveTextContent("This month at Acme"));
    await user.click(screen.getByTestId("wizard-next"));

    const frame = await screen.findByTestId("preview-frame");
    expect(frame).toHaveAttribute("sandbox", "");
    // No contact chosen: as the backend does, an example person with no
    // details, and the page says why the name is missing.
    expect(frame.getAttribute("srcdoc")).toContain("Hi , here is what is new.");
    expect(screen.getByText(/An example person with no details/)).toBeInTheDocument();
    expect(screen.queryByTestId("preview-contact-label")).not.toBeInTheDocument();
    const update = fake.callsOf("campaigns_update").at(-1)!.args as { input: { html: string; templateId: string } };
    expect(update.input.templateId).toBe("tpl-news");
    expect(update.input.html).toContain("This month at Acme");
    expect(within(screen.getByTestId("review-hints")).getByTestId("review-hint")).toHaveTextContent("no links");
    expect(screen.getByTestId("review-tracking")).toHaveTextContent("Tracking on");
  });

  it("opens a laid-out template in the HTML editor, where its tables survive", async () => {
    const { customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 2; i++) await user.click(await screen.findByTestId("wizard-next"));
    const cards = await screen.findAllByTestId("template-card");
    const announce = cards.find((el) => el.textContent?.includes("Announcement"))!;
    expect(announce.querySelector("img")).toHaveAttribute("src", expect.stringMatching(/^data:image\/svg\+xml/));
    await user.click(announce);
    await waitFor(() => expect((screen.getByTestId("campaign-html") as HTMLTextAreaElement).value).toContain('<table role="presentation"'));
    expect(screen.queryByTestId("campaign-editor")).not.toBeInTheDocument();
  });

  it("moves on with Enter from a field, as Next does", async () => {
    const { campaigns } = setup();
    const { user } = renderApp("/campaigns/new");
    await user.type(await screen.findByTestId("campaign-name"), "Spring sale");
    await user.type(screen.getByTestId("campaign-subject"), "Hello{Enter}");
    expect(await screen.findByTestId("campaign-segmentId")).toBeInTheDocument();
    expect(campaigns.campaigns).toHaveLength(1);
  });

  it("adds a link from the editor's toolbar without leaving the step", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Shop</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit?step=2`);
    const editor = await screen.findByTestId("campaign-editor");
    await user.click(within(editor).getByText("Shop"));
    await user.keyboard("{Control>}a{/Control}");
    await user.click(screen.getByTestId("editor-link"));
    await user.type(await screen.findByTestId("editor-link-url"), "https://example.com/shop{Enter}");
    await waitFor(() => expect(editor.querySelector("a")).toHaveAttribute("href", "https://example.com/shop"));
    expect(screen.getByTestId("template-picker")).toBeInTheDocument();
    await user.click(screen.getByTestId("wizard-next"));
    await screen.findByTestId("preview-frame");
    const update = fake.callsOf("campaigns_update").at(-1)!.args as { input: { html: string } };
    expect(update.input.html).toContain('href="https://example.com/shop"');
  });

  it("inserts the web version link into the rich editor as a link once a relay is set up", async () => {
    const { fake, customers, campaigns } = setup();
    new FakeRelay(fake).install().configured();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Hello</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit?step=2`);
    const editor = await screen.findByTestId("campaign-editor");
    await user.click(within(editor).getByText("Hello"));
    await user.click(screen.getByTestId("editor-variables"));
    const item = await screen.findByTestId("variable-web_view_url");
    await waitFor(() => expect(item).not.toBeDisabled());
    await user.click(item);
    await waitFor(() => expect(editor.querySelector("a")).toHaveAttribute("href", "{{ web_view_url }}"));
    expect(editor).toHaveTextContent("View it in your browser");
  });

  it("sends a test to the typed addresses", async () => {
    const { fake, customers, campaigns } = setup();
    const c = campaigns.add({ name: "Spring sale", segmentId: customers.id, html: "<p>Hi</p>" });
    const { user } = renderApp(`/campaigns/${c.id}/edit`);
    for (let i = 0; i < 3; i++) await user.click(await screen.findByTestId("wizard-next"));
    await user.click(await screen.findByTestId("test-send-open"));
    await user.type(await screen.findByTestId("test-addresses"), "me@example.com,boss@example.com,");
    await user.click(screen.getByTestId("test-send"));
    await waitFor(() => expect(fake.callsOf("campaign_test_send")).toHaveLength(1));
    expect((fake.callsOf("campaign_test_send")[0]!.args as { addresses: string[] }).addresses).toEqual(["me@example.com", "boss@example.com"]);
  });

  it("says so when a sent campaign is opened for editing", async () => {
    const { campaigns } = setup();
    const c = campaigns.add({ name: "Old news", status: "sent" });
    renderApp(`/campaigns/${c.id}/edit`);
    expect(await screen.findByTestId("campaign-not-editable")).toHaveTextContent("“Old news” can no longer be edited");
  });

  it("shows an error it cannot place on a field above the form", async () => {
    const { fake } = setup();
    fake.on("campaigns_create", () => {
      throw commandError("internal", "The workspace file is read-only");
    });
    const { user } = renderApp("/campaigns/new");
    await user.type(await screen.findByTestId("campaign-name"), "Spring sale");
    await user.type(screen.getByTestId("campaign-subject"), "Hello");
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("wizard-error")).toHaveTextContent("The workspace file is read-only");
  });
});
