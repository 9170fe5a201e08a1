import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";

function withAda(): FakeBackend {
  const fake = new FakeBackend().install();
  fake.add(
    { id: "c-ada", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", company: "Analytical Engines", country: "GB", tags: ["vip"], emailStatus: "subscribed" },
    {
      custom: { plan: "team", beta_tester: true },
      emailConsent: { at: "2024-01-05T09:00:00Z", source: "website form", method: "double opt-in" },
      consentEvents: [{ id: "e1", channel: "email", action: "granted", status: "subscribed", source: "website form", method: "double opt-in", at: "2024-01-05T09:00:00Z" }],
      interactions: [{ id: "i1", kind: "call", occurredAt: "2024-02-01T15:00:00Z", summary: "Talked about the spring launch" }],
    },
  );
  fake.add({ email: "other@example.com", tags: ["newsletter"] });
  return fake;
}

describe("contact detail", () => {
  it("shows the contact's header, fields, custom fields, consent and history", async () => {
    withAda();
    renderApp("/contacts/c-ada");
    expect(await screen.findByTestId("contact-name")).toHaveTextContent("Ada Lovelace");
    expect(screen.getByTestId("contact-email")).toHaveTextContent("ada@example.com");
    const details = screen.getByTestId("details-card");
    expect(details).toHaveTextContent("Analytical Engines");
    expect(details).toHaveTextContent("United Kingdom");
    expect(details).toHaveTextContent("Plan");
    expect(details).toHaveTextContent("Beta tester");
    expect(details).toHaveTextContent("Yes");
    expect(screen.getByTestId("consent-email")).toHaveTextContent("website form · double opt-in");
    expect(screen.getByTestId("consent-sms")).toHaveTextContent("No phone number on file");
    expect(screen.getByTestId("interactions-timeline")).toHaveTextContent("Talked about the spring launch");
  });

  it("adds a tag in place with contacts_edit_tags", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    const input = await screen.findByTestId("tags-input");
    await user.type(input, "speaker{Enter}");
    await waitFor(() => expect(fake.callsOf("contacts_edit_tags")).toHaveLength(1));
    expect(fake.callsOf("contacts_edit_tags")[0]!.args).toEqual({ id: "c-ada", add: ["speaker"], remove: [] });
    expect(fake.contacts[0]!.contact.tags).toEqual(["vip", "speaker"]);
    expect(within(screen.getByTestId("tags-card")).getByText("speaker")).toBeInTheDocument();
  });

  it("removes a tag in place", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    const card = await screen.findByTestId("tags-card");
    const pill = within(card).getByText("vip").closest(".mantine-Pill-root") as HTMLElement;
    await user.click(within(pill).getByRole("button", { hidden: true }));
    await waitFor(() => expect(fake.callsOf("contacts_edit_tags")[0]?.args).toEqual({ id: "c-ada", add: [], remove: ["vip"] }));
    expect(fake.contacts[0]!.contact.tags).toEqual([]);
  });

  it("puts the tags back and explains when a tag is refused", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    await user.type(await screen.findByTestId("tags-input"), "bad/tag{Enter}");
    expect(await screen.findByTestId("tags-error")).toHaveTextContent('"bad/tag" is not a valid tag name');
    expect(within(screen.getByTestId("tags-card")).queryByText("bad/tag")).not.toBeInTheDocument();
    expect(fake.contacts[0]!.contact.tags).toEqual(["vip"]);
  });

  it("asks before unsubscribing, and does nothing when cancelled", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("status-select-email"));
    await user.click(await screen.findByRole("option", { name: "Unsubscribed" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Ada Lovelace will no longer receive email campaigns");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(fake.callsOf("contacts_set_status")).toHaveLength(0);
    expect(screen.getByTestId("status-select-email")).toHaveValue("Subscribed");
  });

  it("unsubscribes after confirmation and shows the new ledger row", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("status-select-email"));
    await user.click(await screen.findByRole("option", { name: "Unsubscribed" }));
    await user.click(await screen.findByTestId("status-confirm-email"));
    await waitFor(() => expect(fake.callsOf("contacts_set_status")[0]?.args).toEqual({ id: "c-ada", channel: "email", status: "unsubscribed" }));
    await waitFor(() => expect(screen.getByTestId("ledger-email")).toHaveTextContent("Withdrawn: unsubscribed"));
    expect(screen.getByTestId("ledger-email")).toHaveTextContent("herald app · manual");
    expect(screen.getByTestId("status-select-email")).toHaveValue("Unsubscribed");
  });

  it("warns before resubscribing someone who opted out", async () => {
    const fake = withAda();
    fake.contacts[0]!.contact.emailStatus = "unsubscribed";
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("status-select-email"));
    await user.click(await screen.findByRole("option", { name: "Subscribed" }));
    expect(await screen.findByRole("dialog")).toHaveTextContent("Only resubscribe Ada Lovelace if they have asked");
    await user.click(screen.getByTestId("status-confirm-email"));
    await waitFor(() => expect(fake.contacts[0]!.contact.emailStatus).toBe("subscribed"));
  });

  it("logs an interaction", async () => {
    const fake = withAda();
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("log-interaction"));
    await user.click(screen.getByTestId("interaction-save"));
    expect(await screen.findByTestId("interaction-summary-error")).toHaveTextContent("Write a short summary");
    expect(fake.callsOf("interactions_add")).toHaveLength(0);
    await user.click(screen.getByTestId("interaction-kind"));
    await user.click(await screen.findByRole("option", { name: "Meeting" }));
    await user.type(screen.getByTestId("interaction-summary"), "Lunch with the team");
    await user.click(screen.getByTestId("interaction-save"));
    await waitFor(() => expect(screen.getByTestId("interactions-timeline")).toHaveTextContent("Lunch with the team"));
    const args = fake.callsOf("interactions_add")[0]!.args as Record<string, string>;
    expect(args).toMatchObject({ contactId: "c-ada", kind: "meeting", summary: "Lunch with the team" });
    expect(args.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(screen.queryByTestId("interaction-form")).not.toBeInTheDocument();
  });

  it("adds a project with a status from the backend's list", async () => {
    const fake = withAda();
    fake.projectStatuses = ["lead", "proposal", "won"];
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("add-project"));
    await user.type(screen.getByTestId("project-name"), "Website redesign");
    await user.click(screen.getByTestId("project-status"));
    await user.click(await screen.findByRole("option", { name: "Proposal" }));
    await user.type(screen.getByTestId("project-value"), "1250.50");
    await user.click(screen.getByTestId("project-save"));
    const table = await screen.findByTestId("projects-table");
    expect(table).toHaveTextContent("Website redesign");
    expect(table).toHaveTextContent("Proposal");
    expect(table).toHaveTextContent(/1,250\.50/);
    expect(fake.callsOf("projects_add")[0]!.args).toEqual({ contactId: "c-ada", name: "Website redesign", status: "proposal", value: "1250.50" });
  });

  it("shows the backend's message under a bad project value", async () => {
    withAda();
    const { user } = renderApp("/contacts/c-ada");
    await user.click(await screen.findByTestId("add-project"));
    await user.type(screen.getByTestId("project-name"), "Retainer");
    await user.type(screen.getByTestId("project-value"), "12,5");
    await user.click(screen.getByTestId("project-save"));
    expect(await screen.findByText('"12,5" is not an amount')).toBeInTheDocument();
  });

  it("says so when the contact no longer exists", async () => {
    withAda();
    renderApp("/contacts/c-gone");
    expect(await screen.findByTestId("contact-missing")).toHaveTextContent("This contact no longer exists");
  });

  it("shows a load error with a retry", async () => {
    const fake = withAda();
    fake.on("contacts_get", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/contacts/c-ada");
    expect(await screen.findByTestId("contact-error")).toHaveTextContent("Something went wrong");
    fake.overrides.delete("contacts_get");
    await user.click(screen.getByTestId("contact-error-retry"));
    expect(await screen.findByTestId("contact-name")).toHaveTextContent("Ada Lovelace");
  });
});

describe("contact timeline with campaigns", () => {
  const spring = {
    campaignId: "k-spring",
    campaignName: "Spring news",
    channel: "email" as const,
    status: "sent" as const,
    sentAt: "2024-03-01T09:00:00.000Z",
    deliveredAt: "2024-03-01T09:00:05.000Z",
    openedAt: "2024-03-01T11:00:00.000Z",
    clickedAt: "2024-03-01T11:00:00.000Z",
    bouncedAt: null,
    complainedAt: null,
    unsubscribedAt: "2024-03-02T08:00:00.000Z",
  };

  it("merges the campaign's events with logged interactions by time, each naming its campaign with a link", async () => {
    const fake = new FakeBackend().install();
    fake.add(
      { id: "c-ada", firstName: "Ada", email: "ada@example.com" },
      {
        interactions: [
          { id: "i1", kind: "call", occurredAt: "2024-03-01T10:00:00Z", summary: "Called about the launch" },
          { id: "i2", kind: "note", occurredAt: "2024-02-01T10:00:00Z", summary: "Met at the fair" },
        ],
        campaigns: [spring],
      },
    );
    renderApp("/contacts/c-ada");
    const timeline = await screen.findByTestId("interactions-timeline");
    const lines = within(timeline)
      .getAllByText(/^(Sent|Delivered|Opened|Clicked|Bounced|Unsubscribed|Call|Note)$/)
      .map((el) => el.textContent);
    // Newest first; the click implied the open at the same instant, so it comes first.
    expect(lines).toEqual(["Unsubscribed", "Clicked", "Opened", "Call", "Delivered", "Sent", "Note"]);
    const links = within(timeline).getAllByTestId("timeline-campaign-link");
    expect(links).toHaveLength(5);
    expect(links[0]).toHaveTextContent("“Spring news”");
    expect(links[0]).toHaveAttribute("href", "/campaigns/k-spring");
  });

  it("shows an SMS campaign's delivery report and opt-out in the words of SMS", async () => {
    const fake = new FakeBackend().install();
    fake.add(
      { id: "c-ada", firstName: "Ada", phone: "+14155550101" },
      {
        campaigns: [
          {
            ...spring,
            campaignName: "Flash sale",
            channel: "sms" as const,
            openedAt: null,
            clickedAt: null,
            unsubscribedAt: "2024-03-01T12:00:00.000Z",
          },
        ],
      },
    );
    renderApp("/contacts/c-ada");
    const timeline = await screen.findByTestId("interactions-timeline");
    expect(within(timeline).getAllByTestId("timeline-campaign-event").map((el) => el.textContent)).toEqual([
      expect.stringContaining("Opted out“Flash sale”"),
      expect.stringContaining("Delivered“Flash sale”"),
      expect.stringContaining("Sent“Flash sale”"),
    ]);
    expect(timeline).not.toHaveTextContent("Unsubscribed");
  });

  it("shows a contact's campaigns even when nothing was logged by hand", async () => {
    const fake = new FakeBackend().install();
    fake.add(
      { id: "c-ada", firstName: "Ada", email: "ada@example.com" },
      { campaigns: [{ ...spring, deliveredAt: null, openedAt: null, clickedAt: null, unsubscribedAt: null, bouncedAt: "2024-03-01T09:01:00.000Z" }] },
    );
    renderApp("/contacts/c-ada");
    const timeline = await screen.findByTestId("interactions-timeline");
    expect(within(timeline).getAllByTestId("timeline-campaign-event").map((el) => el.textContent)).toEqual([
      expect.stringContaining("Bounced“Spring news”"),
      expect.stringContaining("Sent“Spring news”"),
    ]);
  });
});
