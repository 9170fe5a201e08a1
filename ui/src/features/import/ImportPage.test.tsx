import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { ImportRequest } from "../../bindings/ImportRequest";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";
import { useImportStore } from "../../stores/import";

const CSV = [
  "Email Address,First Name,Phone Number,Favourite Colour",
  "ada@example.com,Ada,+44 20 7946 0958,green",
  "not-an-email,Alan,,red",
  "grace@example.com,Grace,12345,blue",
  ",Katherine,,yellow",
  "tim@example.com,Tim,,teal",
].join("\n");

const file = (text = CSV) => new File([text], "spring leads.csv", { type: "text/csv" });

async function toMapping(fake = new FakeBackend().install()) {
  fake.add({ email: "someone@example.com" });
  const rendered = renderApp("/import");
  const input = await screen.findByTestId("import-file-input");
  await rendered.user.upload(input, file());
  await screen.findByTestId("import-mapping-table");
  return { ...rendered, fake };
}

describe("CSV import wizard", () => {
  it("takes a file from the file input, uploads it and previews its first rows", async () => {
    const { fake } = await toMapping();
    expect(fake.callsOf("import_upload")[0]!.headers).toEqual({ "x-upload-id": "", "x-file-name": "spring%20leads.csv" });
    expect(screen.getByTestId("import-file-name")).toHaveTextContent("spring leads.csv");
    const preview = screen.getByTestId("import-preview-table");
    expect(within(preview).getByText("Favourite Colour")).toBeInTheDocument();
    expect(within(preview).getByText("ada@example.com")).toBeInTheDocument();
  });

  it("takes a dropped file too", async () => {
    const fake = new FakeBackend().install();
    renderApp("/import");
    const zone = await screen.findByTestId("import-dropzone");
    fireEvent.dragOver(zone);
    expect(zone).toHaveAttribute("data-over");
    fireEvent.drop(zone, { dataTransfer: { files: [file()] } });
    await screen.findByTestId("import-mapping-table");
    expect(fake.callsOf("import_upload")).toHaveLength(1);
  });

  it("pre-fills each column's field with what was detected", async () => {
    await toMapping();
    expect(screen.getByTestId("mapping-0")).toHaveValue("Email");
    expect(screen.getByTestId("mapping-1")).toHaveValue("First name");
    expect(screen.getByTestId("mapping-2")).toHaveValue("Phone");
    expect(screen.getByTestId("mapping-3")).toHaveValue("Custom field “favourite_colour”");
  });

  it("will not check a mapping that sends two columns to one field, or that has no email or phone", async () => {
    const { user } = await toMapping();
    await user.click(screen.getByTestId("mapping-1"));
    await user.click(await screen.findByRole("option", { name: "Email" }));
    expect(await screen.findByText("“Email Address” already goes to this field")).toBeInTheDocument();
    expect(screen.getByTestId("import-next")).toBeDisabled();
    for (const i of [0, 1, 2]) {
      await user.click(screen.getByTestId(`mapping-${i}`));
      await user.click(await screen.findByRole("option", { name: "Don't import" }));
    }
    expect(screen.getByTestId("import-needs-identity")).toBeInTheDocument();
    expect(screen.getByTestId("import-next")).toBeDisabled();
  });

  it("dry-runs, lists the bad rows with line, column and reason, then imports the rest with a summary", async () => {
    const { user, fake } = await toMapping();
    await user.type(screen.getByTestId("import-tags"), "spring-event{Enter}");
    await user.type(screen.getByTestId("import-consent-source"), "Trade fair");
    await user.click(screen.getByTestId("import-next"));

    const bad = await screen.findByTestId("bad-rows");
    const rows = within(bad).getAllByTestId("bad-row");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("3");
    expect(rows[0]).toHaveTextContent("Email Address");
    expect(rows[0]).toHaveTextContent('"not-an-email" is not an email address');
    expect(rows[1]).toHaveTextContent("Phone Number");
    expect(rows[2]).toHaveTextContent("whole row");
    expect(screen.getByTestId("dry-imported")).toHaveTextContent("2");
    expect(screen.getByTestId("dry-skipped")).toHaveTextContent("3");
    expect(fake.contacts).toHaveLength(1);
    const dry = (fake.callsOf("import_run")[0]!.args as { request: ImportRequest }).request;
    expect(dry).toMatchObject({ dryRun: true, tags: ["spring-event"], consentSource: "Trade fair" });

    await user.click(screen.getByTestId("import-run"));
    expect(await screen.findByTestId("import-summary")).toHaveTextContent("Import complete");
    expect(screen.getByTestId("summary-imported")).toHaveTextContent("2");
    expect(screen.getByTestId("summary-skipped")).toHaveTextContent("3");
    expect(fake.contacts.map((c) => c.contact.email)).toEqual(["someone@example.com", "ada@example.com", "tim@example.com"]);

    await user.click(screen.getByTestId("import-view-contacts"));
    expect(await screen.findByTestId("contacts-total")).toHaveTextContent("3 contacts");
  });

  it("labels the import button with how many contacts it will import", async () => {
    const { user } = await toMapping();
    await user.click(screen.getByTestId("import-next"));
    expect(await screen.findByTestId("import-run")).toHaveTextContent("Import 2 contacts");
  });

  it("goes back from the review to the columns", async () => {
    const { user } = await toMapping();
    await user.click(screen.getByTestId("import-next"));
    await user.click(await screen.findByTestId("import-back"));
    expect(await screen.findByTestId("import-mapping-table")).toBeInTheDocument();
  });

  it("shows progress while the import runs", async () => {
    const { user, fake } = await toMapping();
    await user.click(screen.getByTestId("import-next"));
    await screen.findByTestId("import-run");
    let finish: () => void = () => {};
    fake.on("import_run", () => new Promise((r) => (finish = () => r({ imported: 2, updated: 0, unchanged: 0, skipped: 3, duplicates: [], errors: [], dryRun: false }))));
    await user.click(screen.getByTestId("import-run"));
    expect(await screen.findByTestId("import-progress")).toHaveTextContent("Starting…");
    const uploadId = useImportStore.getState().uploadId!;
    const { emit } = await import("@tauri-apps/api/event");
    await act(() => emit("import-progress", { uploadId, bytes: 50, totalBytes: 200, rows: 3 }));
    await waitFor(() => expect(screen.getByTestId("import-progress-rows")).toHaveTextContent("3 rows read · 25%"));
    expect(screen.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "25");
    await act(async () => finish());
    expect(await screen.findByTestId("import-summary")).toBeInTheDocument();
  });

  it("cancelling discards the upload", async () => {
    const { user, fake } = await toMapping();
    await user.click(screen.getByTestId("import-cancel"));
    await waitFor(() => expect(fake.callsOf("import_discard")).toHaveLength(1));
    expect(await screen.findByTestId("contacts-total")).toBeInTheDocument();
  });

  it("explains a file that cannot be read and lets another be chosen", async () => {
    const fake = new FakeBackend().install();
    fake.on("import_preview", () => {
      throw commandError("validation", "The file has no header row");
    });
    const { user } = renderApp("/import");
    await user.upload(await screen.findByTestId("import-file-input"), file());
    expect(await screen.findByTestId("import-error")).toHaveTextContent("The file has no header row");
    expect(screen.getByTestId("import-choose")).toBeEnabled();
  });
});
