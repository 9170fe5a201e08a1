import { act, screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../../test/fakeBackend";
import { FakeRelay, NO_KEYCHAIN } from "../../../../test/fakeRelay";
import { renderApp } from "../../../../test/render";
import { useRelayStore } from "../../../stores/relay";
import { REFRESH_MS } from "./RelaySection";

const byTestId = (id: string) => screen.getByTestId(id);
const urlInput = () => byTestId("relay-url") as HTMLInputElement;

/** The settings page with a fake relay; resolves once the relay section has its status. */
async function open(setup: (relay: FakeRelay) => void = () => {}) {
  const fake = new FakeBackend().install();
  const relay = new FakeRelay(fake).install();
  setup(relay);
  const rendered = renderApp("/settings");
  await screen.findByTestId("relay-health");
  return { ...rendered, fake, relay };
}

describe("settings → relay", () => {
  it("explains an unconfigured relay and offers only what can work", async () => {
    await open();
    expect(byTestId("relay-health")).toHaveTextContent("Not set up");
    expect(urlInput()).toHaveValue("");
    expect(byTestId("relay-url-save")).toBeDisabled();
    expect(byTestId("relay-generate")).toBeEnabled();
    expect(byTestId("relay-keys-status")).toHaveTextContent("never in the workspace file");
    expect(byTestId("relay-sync-unconfigured")).toHaveTextContent("Save the relay's URL and generate keys");
    expect(screen.queryByTestId("relay-test")).not.toBeInTheDocument();
    expect(screen.queryByTestId("relay-sync-now")).not.toBeInTheDocument();
    expect(screen.queryByTestId("relay-rotate")).not.toBeInTheDocument();
    expect(screen.queryByTestId("relay-keychain-alert")).not.toBeInTheDocument();
  });

  it("checks the URL inline, shows the backend's reason under the field, and saves a good one", async () => {
    const { user, fake, relay } = await open();
    await user.type(urlInput(), "relay.example.com");
    await user.tab();
    expect(byTestId("relay-url-error")).toHaveTextContent("starting with https://");
    expect(urlInput()).toHaveAttribute("aria-invalid", "true");
    await user.click(byTestId("relay-url-save"));
    expect(fake.callsOf("relay_set_url")).toHaveLength(0);
    expect(urlInput()).toHaveFocus();

    await user.clear(urlInput());
    expect(screen.queryByTestId("relay-url-error")).not.toBeInTheDocument();
    await user.type(urlInput(), "http://relay.example.com{Enter}");
    expect(await screen.findByTestId("relay-url-error")).toHaveTextContent("uses plain HTTP");
    expect(urlInput()).toHaveFocus();
    expect(relay.url).toBeNull();

    await user.clear(urlInput());
    await user.type(urlInput(), "https://relay.example.com/");
    await user.click(byTestId("relay-url-save"));
    await waitFor(() => expect(urlInput()).toHaveValue("https://relay.example.com"));
    expect(fake.callsOf("relay_set_url").at(-1)!.args).toEqual({ url: "https://relay.example.com/" });
    expect(relay.url).toBe("https://relay.example.com");
    expect(byTestId("relay-url-save")).toBeDisabled();
    expect(screen.queryByTestId("relay-url-error")).not.toBeInTheDocument();
    expect(byTestId("relay-sync-unconfigured")).toHaveTextContent("Generate keys and put them in the relay's configuration");
  });

  it("asks for an address when the field is emptied", async () => {
    const { user, fake } = await open((r) => r.configured());
    await user.clear(urlInput());
    await user.click(byTestId("relay-url-save"));
    expect(byTestId("relay-url-error")).toHaveTextContent("Enter the relay's address");
    expect(fake.callsOf("relay_set_url")).toHaveLength(0);
  });

  it("says plainly when there is no keychain, with no buttons that cannot work, and checks again", async () => {
    const { user, relay } = await open((r) => {
      r.keychain = "unavailable";
      r.url = "https://relay.example.com";
    });
    const alert = byTestId("relay-keychain-alert");
    expect(alert).toHaveTextContent("No keychain available");
    expect(alert).toHaveTextContent("Install and unlock GNOME Keyring");
    expect(alert).toHaveTextContent("never in a file.");
    expect(byTestId("relay-health")).toHaveTextContent("Keychain unavailable");
    for (const id of ["relay-generate", "relay-rotate", "relay-test", "relay-sync-now"]) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
    expect(urlInput()).toHaveValue("https://relay.example.com");

    relay.keychain = "ready";
    await user.click(byTestId("relay-keychain-retry"));
    expect(await screen.findByTestId("relay-generate")).toBeInTheDocument();
    expect(screen.queryByTestId("relay-keychain-alert")).not.toBeInTheDocument();
  });

  it("shows generated keys once, with copy buttons, until they are confirmed copied", async () => {
    const { user, fake } = await open((r) => (r.url = "https://relay.example.com"));
    await user.click(byTestId("relay-generate"));

    const modal = await screen.findByRole("dialog");
    const keys = useRelayStore.getState().shownKeys!;
    expect(within(modal).getByText("Your relay keys")).toBeInTheDocument();
    expect(byTestId("relay-keys-once")).toHaveTextContent("will not show them again");
    expect(byTestId("relay-keys-signing-key")).toHaveTextContent(keys.signingKey);
    expect(byTestId("relay-keys-api-token")).toHaveTextContent(keys.apiToken);
    expect(byTestId("relay-keys-env")).toHaveTextContent(`HERALD_RELAY_API_TOKEN=${keys.apiToken}`);
    expect(byTestId("relay-keys-toml")).toHaveTextContent(`signing_key = "${keys.signingKey}"`);

    await user.click(byTestId("relay-keys-signing-key-copy"));
    expect(await navigator.clipboard.readText()).toBe(keys.signingKey);
    expect(byTestId("relay-keys-signing-key-copy")).toHaveAttribute("data-copied", "true");
    await user.click(byTestId("relay-keys-env-copy"));
    expect(await navigator.clipboard.readText()).toBe(keys.envLines);

    // Escape does not close it: only the explicit confirmation does.
    await user.keyboard("{Escape}");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(within(modal).queryByRole("button", { name: /close/i })).not.toBeInTheDocument();

    await user.click(byTestId("relay-keys-done"));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByText(keys.apiToken)).not.toBeInTheDocument();
    expect(useRelayStore.getState().shownKeys).toBeNull();
    expect(byTestId("relay-keys-status")).toHaveTextContent("Signing key 1 and the API token are in this computer's keychain.");
    expect(byTestId("relay-rotate")).toBeInTheDocument();
    expect(byTestId("relay-health")).toHaveTextContent("Not synced yet");
    expect(byTestId("relay-sync-status")).toHaveTextContent("Never synced");
    // Nothing but the two key commands ever answered with a secret.
    for (const call of fake.calls.filter((c) => c.cmd === "relay_status")) expect(JSON.stringify(call)).not.toContain(keys.apiToken);
  });

  it("selects the text for Ctrl+C where the clipboard is refused", async () => {
    const { user } = await open();
    await user.click(byTestId("relay-generate"));
    await screen.findByRole("dialog");
    const spy = vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new Error("denied"));
    await user.click(byTestId("relay-keys-api-token-copy"));
    expect(await screen.findByTestId("relay-keys-api-token-manual")).toHaveTextContent("press Ctrl+C");
    expect(window.getSelection()?.toString()).toBe(useRelayStore.getState().shownKeys!.apiToken);
    spy.mockRestore();
  });

  it("asks before rotating, explains what changes, and shows the new key once", async () => {
    const { user, fake } = await open((r) => r.configured());
    expect(byTestId("relay-keys-status")).toHaveTextContent("Signing key 1 and the API token");
    await user.click(byTestId("relay-rotate"));
    const confirm = await screen.findByRole("dialog");
    expect(confirm).toHaveTextContent("Herald will create signing key 2");
    expect(confirm).toHaveTextContent("Key 1 stays valid as the previous key");
    expect(confirm).toHaveTextContent("Update the relay");
    expect(byTestId("relay-rotate-cancel")).toHaveFocus();

    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(fake.callsOf("relay_rotate_keys")).toHaveLength(0);

    await user.click(byTestId("relay-rotate"));
    await user.click(await screen.findByTestId("relay-rotate-confirm"));
    const keys = await screen.findByTestId("relay-keys-modal");
    expect(within(screen.getByRole("dialog")).getByText("Signing key 2 is ready")).toBeInTheDocument();
    expect(screen.getByRole("dialog")).toHaveTextContent("Key 1 stays accepted as the previous key");
    expect(keys).toBeInTheDocument();
    expect(byTestId("relay-keys-env")).toHaveTextContent("HERALD_RELAY_PREVIOUS_SIGNING_KEY=1:");
    await user.click(byTestId("relay-keys-done"));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(byTestId("relay-keys-status")).toHaveTextContent("The relay also accepts key 1, the previous one.");

    await user.click(byTestId("relay-rotate"));
    expect(await screen.findByRole("dialog")).toHaveTextContent("Links signed with key 1 will no longer be accepted");
  });

  it("shows why keys could not be made", async () => {
    const { user, fake, relay } = await open();
    fake.on("relay_generate_keys", () => {
      throw commandError("keychain", "The keychain could not store relay-api-token: permission denied");
    });
    await user.click(byTestId("relay-generate"));
    expect(await screen.findByTestId("relay-keys-error")).toHaveTextContent("permission denied.");

    // An unreachable keychain shows as the section's own alert instead.
    relay.keychain = "unavailable";
    fake.on("relay_generate_keys", () => {
      throw commandError("keychain_unavailable", NO_KEYCHAIN);
    });
    await user.click(byTestId("relay-generate"));
    expect(await screen.findByTestId("relay-keychain-alert")).toBeInTheDocument();
    expect(screen.queryByTestId("relay-keys-error")).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("tests the connection with a loading state and says what it found", async () => {
    const { user, fake, relay } = await open((r) => {
      r.configured();
      r.waiting = [{ kind: "open" }];
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    fake.on("relay_test_connection", async () => {
      await gate;
      return { url: "https://relay.example.com", eventsWaiting: true };
    });
    await user.click(byTestId("relay-test"));
    await waitFor(() => expect(byTestId("relay-test")).toHaveAttribute("data-loading", "true"));
    release();
    const outcome = await screen.findByTestId("relay-outcome");
    expect(outcome).toHaveAttribute("data-outcome", "ok");
    expect(outcome).toHaveTextContent("Connected");
    expect(outcome).toHaveTextContent("The relay at https://relay.example.com is up and accepts this computer's API token");
    expect(outcome).toHaveTextContent("New events are waiting");
    expect(byTestId("relay-test")).not.toHaveAttribute("data-loading");

    relay.install();
    relay.failure = "The relay at https://relay.example.com refused this computer's API token";
    await user.click(byTestId("relay-test"));
    await waitFor(() => expect(byTestId("relay-outcome")).toHaveAttribute("data-outcome", "error"));
    expect(byTestId("relay-outcome")).toHaveTextContent("Connection failed");
    expect(byTestId("relay-outcome")).toHaveTextContent("refused this computer's API token.");
    await user.click(within(byTestId("relay-outcome")).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("relay-outcome")).not.toBeInTheDocument();
  });

  it("syncs now and shows what changed, then the new sync time", async () => {
    const { user, relay } = await open((r) => {
      r.configured(90);
      r.waiting = [{ kind: "open" }, { kind: "open" }, { kind: "unsubscribe", unsubscribes: true }];
    });
    expect(byTestId("relay-health")).toHaveTextContent("Connected");
    expect(byTestId("relay-sync-status")).toHaveTextContent("Last synced 1 hour ago · 42 events applied in all");
    expect(byTestId("relay-sync-status")).toHaveTextContent("Herald syncs every minute while it is open");
    await user.click(byTestId("relay-sync-now"));
    const outcome = await screen.findByTestId("relay-outcome");
    expect(outcome).toHaveTextContent("Synced");
    expect(outcome).toHaveTextContent("3 new events (2 opens, 1 unsubscribe). 1 contact unsubscribed.");
    await waitFor(() => expect(byTestId("relay-sync-status")).toHaveTextContent("Last synced just now · 45 events applied in all"));
    expect(relay.waiting).toHaveLength(0);

    await user.click(byTestId("relay-sync-now"));
    await waitFor(() => expect(byTestId("relay-outcome")).toHaveTextContent("Up to date: the relay had no new events."));
  });

  it("shows a failed sync once, and the last error in the status line after it is dismissed", async () => {
    const { user, relay } = await open((r) => r.configured());
    relay.failure = "The relay at https://relay.example.com cannot be reached: Connection refused (os error 111)";
    await user.click(byTestId("relay-sync-now"));
    await waitFor(() => expect(byTestId("relay-outcome")).toHaveAttribute("data-outcome", "error"));
    expect(byTestId("relay-outcome")).toHaveTextContent("Sync failed");
    expect(byTestId("relay-outcome")).toHaveTextContent("Connection refused (os error 111).");
    await waitFor(() => expect(byTestId("relay-health")).toHaveTextContent("Sync failing"));
    const line = byTestId("relay-sync-status");
    expect(line).toHaveTextContent("Last sync failed just now");
    expect(line).toHaveTextContent("Last successful sync 3 minutes ago.");
    expect(screen.queryByTestId("relay-last-error")).not.toBeInTheDocument();

    await user.click(within(byTestId("relay-outcome")).getByRole("button", { name: "Dismiss" }));
    expect(byTestId("relay-last-error")).toHaveTextContent("Connection refused (os error 111).");
  });

  it("says a relay that has only failed has never synced", async () => {
    await open((r) => {
      r.configured();
      r.lastSyncAt = null;
      r.lastError = { at: new Date().toISOString(), message: "The relay at https://relay.example.com gave an unexpected answer: HTTP 502" };
    });
    expect(byTestId("relay-health")).toHaveTextContent("Sync failing");
    expect(byTestId("relay-sync-status")).toHaveTextContent("It has never synced.");
    expect(byTestId("relay-last-error")).toHaveTextContent("HTTP 502.");
  });

  it("offers to try again when the status cannot be read", async () => {
    const fake = new FakeBackend().install();
    const relay = new FakeRelay(fake).install();
    fake.on("relay_status", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/settings");
    const alert = await screen.findByTestId("relay-load-error");
    expect(alert).toHaveTextContent("The relay settings could not be read");
    relay.install();
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("relay-health")).toHaveTextContent("Not set up");
  });

  it("reads the status again while open, so background syncs show", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { fake, relay } = await open((r) => r.configured(10));
    expect(byTestId("relay-sync-status")).toHaveTextContent("Last synced 10 minutes ago");
    const reads = fake.callsOf("relay_status").length;
    relay.lastSyncAt = new Date().toISOString();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
    });
    expect(fake.callsOf("relay_status").length).toBe(reads + 1);
    await waitFor(() => expect(byTestId("relay-sync-status")).toHaveTextContent("Last synced just now"));
  });
});
