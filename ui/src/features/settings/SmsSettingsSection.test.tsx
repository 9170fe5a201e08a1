import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeCampaigns } from "../../../test/fakeCampaigns";
import { FakeRelay } from "../../../test/fakeRelay";
import { FakeSms } from "../../../test/fakeSms";
import { renderApp } from "../../../test/render";

function setup() {
  const fake = new FakeBackend().install();
  new FakeRelay(fake).install();
  new FakeCampaigns(fake).install();
  const sms = new FakeSms(fake).install();
  return { fake, sms };
}

type User = ReturnType<typeof renderApp>["user"];

/** Typing long values key by key is slow on the whole page; a paste is one change event. */
async function paste(user: User, field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

async function fillTwilio(user: User, from = "+14155550123") {
  await paste(user, await screen.findByTestId("sms-twilioAccountSid"), "AC0123456789abcdef0123456789abcdef");
  await paste(user, screen.getByTestId("sms-twilioAuthToken"), "secret-token");
  await paste(user, screen.getByTestId("sms-twilioFrom"), from);
}

const saved = (fake: FakeBackend) => (fake.callsOf("sms_settings_save").at(-1)!.args as { input: Record<string, unknown> }).input;

describe("settings → SMS", () => {
  it("checks the Twilio fields inline before asking the backend", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await user.type(await screen.findByTestId("sms-twilioAccountSid"), "SK123");
    await user.click(screen.getByTestId("sms-save"));
    expect(await screen.findByTestId("sms-error-twilioAccountSid")).toHaveTextContent("AC followed by 32");
    expect(screen.getByTestId("sms-error-twilioAuthToken")).toHaveTextContent("auth token");
    expect(screen.getByTestId("sms-error-twilioFrom")).toHaveTextContent("Enter the Twilio number");
    expect(fake.callsOf("sms_settings_save")).toHaveLength(0);
  });

  it("shows the backend's refusal under the field it names", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillTwilio(user, "0044 12");
    await user.click(screen.getByTestId("sms-save"));
    expect(await screen.findByTestId("sms-error-twilioFrom")).toHaveTextContent("not a phone number in E.164 form");
    expect(fake.callsOf("sms_settings_save")).toHaveLength(1);
    expect(screen.queryByTestId("sms-form-error")).not.toBeInTheDocument();
  });

  it("puts a sending-hours error from the backend under the hour it names", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillTwilio(user);
    fake.on("sms_settings_save", () => {
      throw { kind: "validation", message: "Sending hours: until must be later than from", field: "sending_hours.until" };
    });
    await user.click(screen.getByTestId("sms-save"));
    expect(await screen.findByTestId("sms-error-hoursUntil")).toHaveTextContent("until must be later");
  });

  it("saves the token to the keychain once, then keeps it when the field is left blank", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    expect(await screen.findByTestId("sms-status")).toHaveTextContent("Not set up");
    await fillTwilio(user);
    await user.click(screen.getByTestId("sms-save"));
    await waitFor(() => expect(screen.getByTestId("sms-status")).toHaveTextContent("Set up"));
    expect(saved(fake)).toMatchObject({
      provider: "twilio",
      twilioAccountSid: "AC0123456789abcdef0123456789abcdef",
      twilioFrom: "+14155550123",
      twilioMessagingServiceSid: "",
      twilioAuthToken: "secret-token",
      messagesPerSecond: null,
      sendingHours: { from: "08:00", until: "21:00" },
      optOutText: "Reply STOP to opt out",
    });
    expect(screen.getByTestId("sms-twilioAuthToken")).toHaveValue("");
    expect(screen.getByText("Stored in your system keychain. Leave blank to keep it.")).toBeInTheDocument();

    await user.click(screen.getByTestId("sms-hoursOn"));
    await user.click(screen.getByTestId("sms-save"));
    await waitFor(() => expect(fake.callsOf("sms_settings_save")).toHaveLength(2));
    expect(saved(fake).twilioAuthToken).toBeUndefined();
    expect(saved(fake).sendingHours).toBeNull();
  });

  it("shows the sender kind's default rate and sends a rate only when one is typed", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await fillTwilio(user);
    expect(screen.getByText("Sets the default pace: 1 message a second.")).toBeInTheDocument();
    await user.click(screen.getByTestId("sms-senderKind"));
    await user.click(await screen.findByRole("option", { name: "Short code" }));
    expect(screen.getByText("Sets the default pace: 30 messages a second.")).toBeInTheDocument();
    expect(screen.getByTestId("sms-messagesPerSecond")).toHaveAttribute("placeholder", "Default: 30");
    await user.type(screen.getByTestId("sms-messagesPerSecond"), "12");
    await user.click(screen.getByTestId("sms-save"));
    await waitFor(() => expect(fake.callsOf("sms_settings_save")).toHaveLength(1));
    expect(saved(fake)).toMatchObject({ senderKind: "short_code", messagesPerSecond: 12 });
  });

  it("asks Vonage's JWT key only when an application id is given", async () => {
    const { fake } = setup();
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("sms-provider"));
    await user.click(await screen.findByRole("option", { name: "Vonage" }));
    await paste(user, screen.getByTestId("sms-vonageApiKey"), "abcd1234");
    await user.type(screen.getByTestId("sms-vonageFrom"), "ACME");
    expect(screen.queryByTestId("sms-vonagePrivateKey")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("sms-save"));
    expect(await screen.findByTestId("sms-error-vonageApiSecret")).toHaveTextContent("API secret");
    expect(screen.getByTestId("sms-error-senderKind")).toHaveTextContent("alphanumeric sender id");
    await user.click(screen.getByTestId("sms-senderKind"));
    await user.click(await screen.findByRole("option", { name: /Alphanumeric/ }));

    await paste(user, screen.getByTestId("sms-vonageApplicationId"), "aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
    await paste(user, screen.getByTestId("sms-vonagePrivateKey"), "-----BEGIN PRIVATE KEY-----");
    await paste(user, screen.getByTestId("sms-vonageApiSecret"), "vonage-secret");
    await user.click(screen.getByTestId("sms-save"));
    await waitFor(() => expect(fake.callsOf("sms_settings_save")).toHaveLength(1));
    expect(saved(fake)).toMatchObject({
      provider: "vonage",
      vonageApi: "messages",
      vonageApiKey: "abcd1234",
      vonageApplicationId: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
      vonagePrivateKey: "-----BEGIN PRIVATE KEY-----",
      vonageFrom: "ACME",
      vonageApiSecret: "vonage-secret",
      senderKind: "alphanumeric",
    });
  });

  it("verifies the saved credentials and shows the provider's answer", async () => {
    const { sms } = setup();
    sms.configured();
    sms.verifyFailure = "Twilio refused the credentials (20003: Authenticate)";
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("sms-verify"));
    expect(await screen.findByTestId("sms-verify-failed")).toHaveTextContent("20003: Authenticate");
    sms.verifyFailure = null;
    await user.click(screen.getByTestId("sms-verify"));
    expect(await screen.findByTestId("sms-verify-ok")).toHaveTextContent("Acme Marketing");
    // An unsaved change: verifying would check the old settings.
    await user.type(screen.getByTestId("sms-twilioFrom"), "9");
    expect(screen.getByTestId("sms-verify")).toBeDisabled();
  });

  it("sends a test SMS to at most five numbers and reports each", async () => {
    const { fake, sms } = setup();
    sms.configured();
    sms.refused.set("+447700900005", "The number is not a mobile number (21614)");
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("sms-test-open"));
    const dialog = await screen.findByRole("dialog");
    const numbers = within(dialog).getByTestId("sms-test-numbers");
    for (let i = 1; i <= 6; i++) await user.type(numbers, `+44770090000${i},`);
    expect(within(dialog).getByText(/at most 5 numbers/)).toBeInTheDocument();
    await user.click(within(dialog).getByTestId("sms-test-send"));
    const results = await within(dialog).findByTestId("sms-test-results");
    const call = fake.callsOf("sms_test_send")[0]!.args as { numbers: string[]; body: string };
    expect(call.numbers).toEqual(["+447700900001", "+447700900002", "+447700900003", "+447700900004", "+447700900005"]);
    expect(within(results).getAllByTestId("sms-test-result")).toHaveLength(5);
    expect(results).toHaveTextContent("+447700900005 — The number is not a mobile number (21614)");
    expect(sms.sent[0]!.body).toMatch(/Reply STOP to opt out$/);
  });

  it("refuses a test without numbers before calling the backend", async () => {
    const { fake, sms } = setup();
    sms.configured();
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("sms-test-open"));
    await user.click(await screen.findByTestId("sms-test-send"));
    expect(await screen.findByTestId("sms-test-error")).toHaveTextContent("Add at least one number");
    expect(fake.callsOf("sms_test_send")).toHaveLength(0);
  });
});
