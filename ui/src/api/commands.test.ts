import { FakeBackend } from "../../test/fakeBackend";
import { FakeRelay } from "../../test/fakeRelay";
import { contactsCheckField, contactsCreate, contactsEditTags, contactsGet, contactsList, contactsSetStatus, contactsUpdate } from "./contacts";
import { importDiscard, importPreview, importRun, importUpload, onImportProgress } from "./import";
import { interactionsAdd } from "./interactions";
import { projectStatusesList, projectsAdd } from "./projects";
import { relayGenerateKeys, relayRotateKeys, relaySetUrl, relayStatus, relaySyncNow, relayTestConnection } from "./relay";
import { tagsList } from "./tags";
import { workspaceInfo, workspaceLoadDemo } from "./workspace";

// Every wrapper sends the command name and camelCase argument names of docs/ipc.md.
describe("command wrappers", () => {
  it("name each command and its arguments as the contract does", async () => {
    const fake = new FakeBackend().install();
    fake.on("contacts_get", () => ({}));
    fake.on("contacts_update", () => ({}));
    fake.on("contacts_set_status", () => ({}));
    fake.on("contacts_edit_tags", () => []);
    fake.on("interactions_add", () => ({}));
    fake.on("projects_add", () => ({}));
    fake.on("import_preview", () => ({}));
    fake.on("import_run", () => ({}));
    const input = { firstName: "A", lastName: "", email: "a@example.com", phone: "", company: "", city: "", region: "", country: "" };
    const query = { search: null, tag: null, emailStatus: null, smsStatus: null, sort: "name", direction: "asc", after: null, limit: 10 } as const;
    const request = { uploadId: "u", mappings: [], ignoreUnknown: false, tags: [], consentSource: null, dryRun: true };
    await workspaceInfo();
    await workspaceLoadDemo(5);
    await contactsList(query);
    await contactsGet("c1");
    await contactsCreate(input);
    await contactsUpdate("c1", input);
    await contactsCheckField("phone", "+1");
    await contactsCheckField("phone", "030 1234567", " DE ");
    await contactsEditTags("c1", ["a"], ["b"]);
    await contactsSetStatus("c1", "sms", "opted_out");
    await tagsList();
    await interactionsAdd("c1", "call", "2024-01-01T00:00:00Z", "hi");
    await projectsAdd("c1", "P", "won", "10");
    await projectStatusesList();
    await importPreview("u");
    await importRun(request);
    await importDiscard("u");
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([
      ["workspace_info", {}],
      ["workspace_load_demo", { count: 5 }],
      ["contacts_list", { query }],
      ["contacts_get", { id: "c1" }],
      ["contacts_create", { input }],
      ["contacts_update", { id: "c1", input }],
      ["contacts_check_field", { field: "phone", value: "+1", country: null }],
      ["contacts_check_field", { field: "phone", value: "030 1234567", country: "DE" }],
      ["contacts_edit_tags", { id: "c1", add: ["a"], remove: ["b"] }],
      ["contacts_set_status", { id: "c1", channel: "sms", status: "opted_out" }],
      ["tags_list", {}],
      ["interactions_add", { contactId: "c1", kind: "call", occurredAt: "2024-01-01T00:00:00Z", summary: "hi" }],
      ["projects_add", { contactId: "c1", name: "P", status: "won", value: "10" }],
      ["project_statuses_list", {}],
      ["import_preview", { uploadId: "u" }],
      ["import_run", { request }],
      ["import_discard", { uploadId: "u" }],
    ]);
  });

  it("name the relay commands and their arguments as the contract does", async () => {
    const fake = new FakeBackend().install();
    new FakeRelay(fake).install();
    await relayStatus();
    await relaySetUrl("https://relay.example.com");
    await relayGenerateKeys();
    await relayRotateKeys();
    await relayTestConnection();
    await relaySyncNow();
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([
      ["relay_status", {}],
      ["relay_set_url", { url: "https://relay.example.com" }],
      ["relay_generate_keys", {}],
      ["relay_rotate_keys", {}],
      ["relay_test_connection", {}],
      ["relay_sync_now", {}],
    ]);
  });

  it("sends upload chunks as a raw body with the upload id and file name headers", async () => {
    const fake = new FakeBackend().install();
    const id = await importUpload(new Uint8Array([104, 105]), "", "Adressen (2024).csv");
    await importUpload(new Uint8Array([33]), id, "Adressen (2024).csv");
    const [first, second] = fake.callsOf("import_upload");
    expect(first!.args).toEqual(new Uint8Array([104, 105]));
    expect(first!.headers).toEqual({ "x-upload-id": "", "x-file-name": "Adressen%20(2024).csv" });
    expect(second!.headers).toEqual({ "x-upload-id": id, "x-file-name": "Adressen%20(2024).csv" });
    expect(fake.uploads.get(id)!.bytes).toEqual([104, 105, 33]);
  });

  it("delivers import-progress payloads to the listener until it unlistens", async () => {
    new FakeBackend().install();
    const seen: unknown[] = [];
    const unlisten = await onImportProgress((p) => seen.push(p));
    const { emit } = await import("@tauri-apps/api/event");
    await emit("import-progress", { uploadId: "u", bytes: 1, totalBytes: 2, rows: 3 });
    unlisten();
    await emit("import-progress", { uploadId: "u", bytes: 2, totalBytes: 2, rows: 4 });
    expect(seen).toEqual([{ uploadId: "u", bytes: 1, totalBytes: 2, rows: 3 }]);
  });
});
