import { emit } from "@tauri-apps/api/event";
import type { ImportRequest } from "../bindings/ImportRequest";
import { FakeBackend, commandError } from "../../test/fakeBackend";
import { CHUNK_BYTES, mappingProblems, mapsEmailOrPhone, useImportStore } from "./import";

const store = () => useImportStore.getState();

const CSV = [
  "Email Address,First Name,Phone Number,Favourite Colour",
  "ada@example.com,Ada,+44 20 7946 0958,green",
  "not-an-email,Alan,,red",
  "grace@example.com,Grace,,blue",
  "ada@example.com,Ada again,,green",
].join("\n");

const csvFile = (text = CSV, name = "leads.csv") => new File([text], name, { type: "text/csv" });

describe("import wizard state machine", () => {
  it("sends a large file in 4 MiB slices, chaining the upload id, then shows its preview", async () => {
    const fake = new FakeBackend().install();
    const sizes: number[] = [];
    fake.on("import_upload", (body) => {
      sizes.push((body as unknown as Uint8Array).length);
      return "up-1";
    });
    fake.on("import_preview", () => ({
      uploadId: "up-1",
      fileName: "big.csv",
      headers: ["email"],
      sampleRows: [],
      columns: [{ header: "email", field: "email" }],
      encoding: "UTF-8",
      delimiter: ",",
      totalBytes: 9 * 1024 * 1024,
    }));
    const big = new File([new Uint8Array(CHUNK_BYTES * 2 + 1000)], "Ärzte & Kunden.csv");
    const seen: number[] = [];
    const unsub = useImportStore.subscribe((s) => seen.push(s.upload.sent));
    await store().uploadFile(big);
    unsub();
    expect(sizes).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1000]);
    const headers = fake.callsOf("import_upload").map((c) => c.headers);
    expect(headers[0]).toEqual({ "x-upload-id": "", "x-file-name": encodeURIComponent("Ärzte & Kunden.csv") });
    expect(headers[1]).toMatchObject({ "x-upload-id": "up-1" });
    expect(headers[2]).toMatchObject({ "x-upload-id": "up-1" });
    expect(seen).toContain(CHUNK_BYTES);
    expect(store()).toMatchObject({ step: "mapping", uploadId: "up-1", upload: { sent: big.size, total: big.size } });
    expect(store().mappings).toEqual([{ header: "email", field: "email" }]);
  });

  it("pre-fills the mapping with what the backend detected, and lets a column be changed", async () => {
    new FakeBackend().install();
    await store().uploadFile(csvFile());
    expect(store().mappings.map((m) => m.field)).toEqual(["email", "first_name", "phone", "custom.favourite_colour"]);
    store().setField(3, "ignore");
    expect(store().mappings[3]).toEqual({ header: "Favourite Colour", field: "ignore" });
  });

  it("goes back to choosing a file, with the reason, when the file cannot be read", async () => {
    const fake = new FakeBackend().install();
    fake.on("import_preview", () => {
      throw commandError("validation", "The file is empty", null);
    });
    await store().uploadFile(csvFile(""));
    expect(store()).toMatchObject({ step: "choose", error: "The file is empty", uploadId: null });
    expect(fake.callsOf("import_discard")).toHaveLength(1);
  });

  it("dry-runs with the chosen mapping, tags and consent source, and lists the bad rows", async () => {
    const fake = new FakeBackend().install();
    await store().uploadFile(csvFile());
    store().setTags(["spring-event"]);
    store().setConsentSource("  Trade fair sign-up  ");
    await store().check();
    const req = (fake.callsOf("import_run")[0]!.args as { request: ImportRequest }).request;
    expect(req).toMatchObject({ dryRun: true, tags: ["spring-event"], consentSource: "Trade fair sign-up", ignoreUnknown: false });
    expect(req.mappings).toEqual(store().mappings);
    expect(store().step).toBe("reviewed");
    expect(store().dryRun).toMatchObject({ imported: 2, skipped: 1, dryRun: true });
    expect(store().dryRun!.errors).toEqual([{ line: 3, column: "Email Address", reason: '"not-an-email" is not an email address' }]);
    expect(store().dryRun!.duplicates).toEqual([{ line: 5, firstLine: 2 }]);
    expect(fake.contacts).toHaveLength(0);
  });

  it("needs a new dry run after the mapping changes", async () => {
    new FakeBackend().install();
    await store().uploadFile(csvFile());
    await store().check();
    store().setField(3, "ignore");
    expect(store()).toMatchObject({ step: "mapping", dryRun: null });
    store().backToMapping();
    expect(store().step).toBe("mapping");
  });

  it("stays on the mapping with the backend's message when the dry run is refused", async () => {
    new FakeBackend().install().on("import_run", () => {
      throw commandError("validation", '"Email Address" and "E-mail" both go to email', "mappings");
    });
    await store().uploadFile(csvFile());
    await store().check();
    expect(store()).toMatchObject({ step: "mapping", error: '"Email Address" and "E-mail" both go to email' });
  });

  it("follows import-progress events for its own upload while importing, then shows the summary", async () => {
    const fake = new FakeBackend().install();
    await store().uploadFile(csvFile());
    await store().check();
    const uploadId = store().uploadId!;
    const seen: unknown[] = [];
    let finish: () => void = () => {};
    fake.on("import_run", () => new Promise((r) => (finish = () => r({ imported: 2, updated: 0, unchanged: 0, skipped: 1, duplicates: [], errors: [], dryRun: false }))));
    const running = store().run();
    await vi.waitFor(() => expect(store().step).toBe("importing"));
    useImportStore.subscribe((s) => seen.push(s.progress));
    await emit("import-progress", { uploadId: "someone-else", bytes: 1, totalBytes: 2, rows: 1 });
    await emit("import-progress", { uploadId, bytes: 60, totalBytes: 120, rows: 2 });
    expect(store().progress).toEqual({ uploadId, bytes: 60, totalBytes: 120, rows: 2 });
    expect(seen).not.toContainEqual(expect.objectContaining({ uploadId: "someone-else" }));
    finish();
    await running;
    expect(store()).toMatchObject({ step: "done", summary: { imported: 2, dryRun: false } });
    // The listener is gone once the import has finished.
    await emit("import-progress", { uploadId, bytes: 120, totalBytes: 120, rows: 4 });
    expect(store().progress?.bytes).toBe(60);
  });

  it("imports for real and does not discard the upload afterwards", async () => {
    const fake = new FakeBackend().install();
    await store().uploadFile(csvFile());
    await store().check();
    await store().run();
    expect(store().step).toBe("done");
    expect(fake.contacts.map((c) => c.contact.email)).toEqual(["ada@example.com", "grace@example.com"]);
    await store().cancel();
    expect(fake.callsOf("import_discard")).toHaveLength(0);
    expect(store().step).toBe("choose");
  });

  it("returns to the review with the message when the import fails", async () => {
    const fake = new FakeBackend().install();
    await store().uploadFile(csvFile());
    await store().check();
    fake.on("import_run", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    await store().run();
    expect(store()).toMatchObject({ step: "reviewed", error: "Something went wrong; details are in the log" });
  });

  it("discards the upload when cancelled", async () => {
    const fake = new FakeBackend().install();
    await store().uploadFile(csvFile());
    const id = store().uploadId;
    await store().cancel();
    expect(fake.callsOf("import_discard")[0]!.args).toEqual({ uploadId: id });
    expect(store()).toMatchObject({ step: "choose", uploadId: null, preview: null });
  });

  it("ignores actions that do not belong to the current step", async () => {
    const fake = new FakeBackend().install();
    await store().check();
    await store().run();
    store().setField(0, "email");
    store().setTags(["x"]);
    store().setConsentSource("x");
    expect(store().step).toBe("choose");
    expect(store().tags).toEqual([]);
    expect(fake.callsOf("import_run")).toHaveLength(0);
  });

  it("finds columns sent to the same field twice, and mappings without email or phone", () => {
    const problems = mappingProblems([
      { header: "Email", field: "email" },
      { header: "Notes", field: "ignore" },
      { header: "Other", field: "ignore" },
      { header: "E-mail 2", field: "email" },
    ]);
    expect([...problems.entries()]).toEqual([[3, "“Email” already goes to this field"]]);
    expect(mapsEmailOrPhone([{ header: "Name", field: "name" }])).toBe(false);
    expect(mapsEmailOrPhone([{ header: "Mobile", field: "phone" }])).toBe(true);
  });
});
