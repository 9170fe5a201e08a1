import { screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { FakeBackend } from "../../../test/fakeBackend";
import { FakeSms } from "../../../test/fakeSms";
import { renderWithProviders } from "../../../test/render";
import { SmsComposer } from "./SmsComposer";

/** The composer as a step uses it: it owns the body and the opt-out switch. */
function Harness({ initial = "", onOptOut }: { initial?: string; onOptOut?: (on: boolean) => void }) {
  const [body, setBody] = useState(initial);
  const [optOut, setOptOut] = useState(true);
  return (
    <>
      <SmsComposer
        value={body}
        onChange={setBody}
        optOut={optOut}
        onOptOutChange={(on) => {
          setOptOut(on);
          onOptOut?.(on);
        }}
        optOutText="Reply STOP to opt out"
      />
      <output data-testid="harness-body">{body}</output>
    </>
  );
}

function setup() {
  const fake = new FakeBackend().install();
  new FakeSms(fake).install();
  return fake;
}

describe("SMS composer", () => {
  it("counts plain text as GSM-7 with the opt-out line included", async () => {
    setup();
    const { user } = renderWithProviders(<Harness />);
    await user.type(screen.getByTestId("sms-body"), "Hello there");
    // 11 + newline + "Reply STOP to opt out" (21).
    await waitFor(() => expect(screen.getByTestId("sms-characters")).toHaveTextContent("33 characters"));
    expect(screen.getByTestId("sms-encoding")).toHaveTextContent("GSM-7");
    expect(screen.getByTestId("sms-parts")).toHaveTextContent("1 part");
    expect(screen.getByTestId("sms-left")).toHaveTextContent("127 left in this part");
    expect(screen.queryByTestId("sms-forced")).not.toBeInTheDocument();
  });

  it("shows Unicode and the emoji that forced it, with no replacement to offer", async () => {
    setup();
    const { user } = renderWithProviders(<Harness />);
    await user.type(screen.getByTestId("sms-body"), "Sale today 🎉");
    await waitFor(() => expect(screen.getByTestId("sms-encoding")).toHaveTextContent("Unicode (UCS-2)"));
    // 12 characters, the emoji two UTF-16 units: 13 + 1 + 21 = 35 of 70.
    expect(screen.getByTestId("sms-left")).toHaveTextContent("35 left in this part");
    const chips = within(screen.getByTestId("sms-forced")).getAllByTestId("sms-forced-char");
    expect(chips.map((c) => c.textContent)).toEqual(["🎉"]);
    expect(screen.queryByTestId("sms-replace-gsm")).not.toBeInTheDocument();
  });

  it("replaces smart quotes and dashes with one click and goes back to GSM-7", async () => {
    const fake = setup();
    const { user } = renderWithProviders(<Harness initial={"It’s “great” — really"} />);
    await waitFor(() => expect(screen.getByTestId("sms-encoding")).toHaveTextContent("Unicode (UCS-2)"));
    const chips = screen.getAllByTestId("sms-forced-char").map((c) => c.textContent);
    expect(chips).toEqual(["’→ '", "“→ \"", "”→ \"", "—→ -"]);
    await user.click(screen.getByTestId("sms-replace-gsm"));
    await waitFor(() => expect(screen.getByTestId("harness-body")).toHaveTextContent(`It's "great" - really`));
    await waitFor(() => expect(screen.getByTestId("sms-encoding")).toHaveTextContent("GSM-7"));
    expect(screen.queryByTestId("sms-forced")).not.toBeInTheDocument();
    expect(fake.callsOf("sms_gsm_equivalents")).toHaveLength(1);
  });

  it("removes the opt-out line only after an explicit confirmation, and adds it back", async () => {
    setup();
    const changes: boolean[] = [];
    const { user } = renderWithProviders(<Harness initial="Hi" onOptOut={(on) => changes.push(on)} />);
    expect(screen.getByTestId("sms-opt-out-text")).toHaveTextContent("Reply STOP to opt out");

    await user.click(screen.getByTestId("sms-opt-out-remove"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("TCPA");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByTestId("sms-opt-out")).toBeInTheDocument();
    expect(changes).toEqual([]);

    await user.click(screen.getByTestId("sms-opt-out-remove"));
    await user.click(await screen.findByTestId("sms-opt-out-confirm-ok"));
    expect(await screen.findByTestId("sms-opt-out-removed")).toBeInTheDocument();
    expect(changes).toEqual([false]);
    // Without the line the counter counts the body alone.
    await waitFor(() => expect(screen.getByTestId("sms-characters")).toHaveTextContent("2 characters"));

    await user.click(screen.getByTestId("sms-opt-out-add"));
    expect(screen.getByTestId("sms-opt-out")).toBeInTheDocument();
    expect(changes).toEqual([false, true]);
  });

  it("inserts a personalisation variable at the caret", async () => {
    setup();
    const { user } = renderWithProviders(<Harness initial="Hi , welcome" />);
    const box = screen.getByTestId<HTMLTextAreaElement>("sms-body");
    box.setSelectionRange(3, 3);
    await user.click(screen.getByTestId("sms-variables"));
    await user.click(await screen.findByTestId("variable-contact.first_name"));
    expect(screen.getByTestId("harness-body")).toHaveTextContent("Hi {{ contact.first_name }}, welcome");
  });
});
