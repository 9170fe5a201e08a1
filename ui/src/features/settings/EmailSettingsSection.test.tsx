import { screen, waitFor } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeCampaigns } from "../../../test/fakeCampaigns";
import { FakeRelay } from "../../../test/fakeRelay";
import { renderApp } from "../../../test/render";

function setup() {
  const fake = new FakeBackend().install();
  new FakeRelay(fake).install();
  const campaigns = new FakeCampaigns(fake).install();
  return { fake, campaigns };
}

async function fillValid(user: ReturnType<typeof renderApp>["user"]) {
  await user.type(await screen.findByTestId("email-host"), "smtp.example.com");
  await user.type(screen.getByTestId("email-fromName"), "Acme");
  await user.type(screen.getByTestId("email-fromAddress"), "news@acme.example");
}

describe("settings → email", () => {
  it("shows the server's exact reply when the connection test fails", async () => {
    const { fake, campaigns } = setup();
    campaigns.smtpFailure = "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials";
    const { user } = renderApp("/settings");
    await fillValid(user);
    await user.type(screen.getByTestId("email-password"), "wrong");
    await user.click(screen.getByTestId("email-test"));
    expect(await screen.findByTestId("email-test-reply")).toHaveTextContent(
      "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials",
    );
    const input = (fake.callsOf("email_settings_test")[0]!.args as { input: { host: string; password: string } }).input;
    expect(input.host).toBe("smtp.example.com");
    expect(input.password).toBe("wrong");
  });

  it("fills server, port and security from a preset", async () => {
    setup();
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("email-preset"));
    await user.click(await screen.findByRole("option", { name: "Amazon SES (eu-west-1)" }));
    expect(screen.getByTestId("email-host")).toHaveValue("email-smtp.eu-west-1.amazonaws.com");
    expect(screen.getByTestId("email-port")).toHaveValue("465");
    expect(screen.getByTestId("email-preset-note")).toHaveTextContent("SMTP credentials from the SES console");
  });

  it("allows no encryption only for localhost, inline", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillValid(user);
    await user.click(screen.getByTestId("email-security"));
    await user.click(await screen.findByRole("option", { name: /None/ }));
    await user.click(screen.getByTestId("email-save"));
    expect(await screen.findByTestId("email-error-security")).toHaveTextContent("only a server on this computer (localhost)");
    expect(fake.callsOf("email_settings_save")).toHaveLength(0);
  });

  it("saves, keeping the stored password when the field is left blank", async () => {
    const { fake, campaigns } = setup();
    campaigns.settings = { ...campaigns.settings, host: "smtp.example.com", fromName: "Acme", fromAddress: "news@acme.example", passwordStored: true, configured: true };
    const { user } = renderApp("/settings");
    expect(await screen.findByTestId("email-status")).toHaveTextContent("Set up");
    expect(screen.getByText("Stored in your system keychain. Leave blank to keep it.")).toBeInTheDocument();
    await user.clear(screen.getByTestId("email-fromName"));
    await user.type(screen.getByTestId("email-fromName"), "Acme News");
    await user.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(fake.callsOf("email_settings_save")).toHaveLength(1));
    const input = (fake.callsOf("email_settings_save")[0]!.args as { input: { fromName: string; password: string | null } }).input;
    expect(input).toMatchObject({ fromName: "Acme News", password: null });
  });

  it("shows the backend's refusal under the field it names", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillValid(user);
    fake.on("email_settings_save", () => {
      throw { kind: "validation", message: "host: smtp.example.com does not resolve", field: "host" };
    });
    await user.click(screen.getByTestId("email-save"));
    expect(await screen.findByTestId("email-error-host")).toHaveTextContent("does not resolve");
  });

  it("sends the DKIM key only when one is pasted, and shows its field once a domain is set", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillValid(user);
    expect(screen.queryByTestId("email-dkimPrivateKey")).not.toBeInTheDocument();
    await user.type(screen.getByTestId("email-dkimDomain"), "acme.example");
    await user.type(screen.getByTestId("email-dkimSelector"), "herald");
    await user.type(screen.getByTestId("email-dkimPrivateKey"), "-----BEGIN PRIVATE KEY-----");
    await user.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(fake.callsOf("email_settings_save")).toHaveLength(1));
    const input = (fake.callsOf("email_settings_save")[0]!.args as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({ dkimDomain: "acme.example", dkimSelector: "herald", dkimPrivateKey: "-----BEGIN PRIVATE KEY-----" });
  });
});
