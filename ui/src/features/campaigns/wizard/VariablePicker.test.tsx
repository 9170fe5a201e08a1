import { screen } from "@testing-library/react";
import { FakeBackend } from "../../../../test/fakeBackend";
import { FakeRelay } from "../../../../test/fakeRelay";
import { renderWithProviders } from "../../../../test/render";
import { VariablePicker } from "./VariablePicker";
import { relayConfigured, variableHtml, variablesWith } from "./variables";

function open(links: boolean, relay: (r: FakeRelay) => void = () => {}) {
  const fake = new FakeBackend().install();
  relay(new FakeRelay(fake).install());
  const picked: string[] = [];
  const rendered = renderWithProviders(<VariablePicker testId="picker" onPick={(tag) => picked.push(tag)} links={links} />);
  return { ...rendered, fake, picked };
}

describe("the variable picker", () => {
  it("lists the web version link with the unsubscribe link under Links when a relay is set up", async () => {
    const { user, picked } = open(true, (r) => r.configured());
    await user.click(screen.getByTestId("picker"));
    expect(await screen.findByText("Links")).toBeInTheDocument();
    const item = await screen.findByTestId("variable-web_view_url");
    expect(item).toHaveTextContent("Web version link");
    expect(item).toHaveTextContent("{{ web_view_url }}");
    expect(screen.getByTestId("variable-unsubscribe_url")).toHaveTextContent("Unsubscribe link");
    // The relay's status arrives after the menu opens: wait for the item to turn on.
    await vi.waitFor(() => expect(screen.getByTestId("variable-web_view_url")).not.toBeDisabled());
    expect(screen.queryByTestId("variable-web_view_url-needs-relay")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("variable-web_view_url"));
    expect(picked).toEqual(["web_view_url"]);
  });

  it("shows the web version link disabled with what it needs when there is no relay", async () => {
    const { user, picked, fake } = open(true);
    await user.click(screen.getByTestId("picker"));
    const item = await screen.findByTestId("variable-web_view_url");
    expect(item).toBeDisabled();
    expect(screen.getByTestId("variable-web_view_url-needs-relay")).toHaveTextContent("Needs a relay (Settings → Relay)");
    expect(screen.getByTestId("variable-unsubscribe_url")).not.toBeDisabled();
    await user.click(item);
    expect(picked).toEqual([]);
    expect(fake.callsOf("relay_status").length).toBeGreaterThan(0);
  });

  it("has no links (and does not ask about the relay) for a subject or a text message", async () => {
    const { user, fake } = open(false, (r) => r.configured());
    await user.click(screen.getByTestId("picker"));
    expect(await screen.findByTestId("variable-contact.first_name")).toBeInTheDocument();
    expect(screen.queryByText("Links")).not.toBeInTheDocument();
    expect(screen.queryByTestId("variable-web_view_url")).not.toBeInTheDocument();
    expect(fake.callsOf("relay_status")).toHaveLength(0);
  });
});

describe("variables", () => {
  it("offers only contact fields the composer knows, custom fields after them", () => {
    const tags = variablesWith([{ key: "plan", kind: "text" }]).map((v) => v.tag);
    expect(tags).toEqual([
      "contact.first_name",
      "contact.last_name",
      "contact.email",
      "contact.phone",
      "contact.company",
      "contact.country",
      "contact.custom.plan",
    ]);
  });

  it("inserts a link variable into HTML as a link and the others as the tag", () => {
    expect(variableHtml("web_view_url")).toBe('<a href="{{ web_view_url }}">View it in your browser</a>');
    expect(variableHtml("unsubscribe_url")).toBe('<a href="{{ unsubscribe_url }}">Unsubscribe</a>');
    expect(variableHtml("contact.first_name")).toBe("{{ contact.first_name }}");
  });

  it("counts a relay as set up with its URL and a signing key, not with one of them", () => {
    const ready = { state: "ready", signingKeyId: 1, previousSigningKeyId: null, apiToken: true } as const;
    const status = { url: "https://relay.example.com", lastSyncAt: null, lastError: null, lastSync: null, eventsApplied: 0, keychain: ready, intervalSeconds: 60 };
    expect(relayConfigured(status)).toBe(true);
    expect(relayConfigured({ ...status, url: null })).toBe(false);
    expect(relayConfigured({ ...status, keychain: { ...ready, signingKeyId: null } })).toBe(false);
    expect(relayConfigured({ ...status, keychain: { state: "unavailable", message: "no keychain" } })).toBe(false);
    expect(relayConfigured(null)).toBe(false);
  });
});
