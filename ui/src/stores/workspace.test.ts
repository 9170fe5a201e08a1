import { FakeBackend, commandError } from "../../test/fakeBackend";
import { workspaceSettingOptions } from "../api/workspace";
import { DEMO_CONTACTS, needsOnboarding, useWorkspaceStore } from "./workspace";

const store = () => useWorkspaceStore.getState();

describe("workspace store", () => {
  it("loads the workspace info", async () => {
    new FakeBackend({ name: "Northwind" }).install();
    await store().load();
    expect(store().status).toBe("ready");
    expect(store().info).toMatchObject({ name: "Northwind", contacts: 0, defaultCurrency: "GBP" });
    expect(needsOnboarding(store())).toBe(true);
  });

  it("reports a workspace that cannot be opened", async () => {
    new FakeBackend().install().on("workspace_info", () => {
      throw commandError("internal", "The workspace file is locked");
    });
    await store().load();
    expect(store()).toMatchObject({ status: "error", error: "The workspace file is locked", info: null });
    expect(needsOnboarding(store())).toBe(false);
  });

  it("loads demo data and refreshes the count", async () => {
    const fake = new FakeBackend().install();
    await store().load();
    const summary = await store().loadDemo();
    expect(summary?.contacts).toBe(DEMO_CONTACTS);
    expect(fake.callsOf("workspace_load_demo")[0]!.args).toEqual({ count: DEMO_CONTACTS });
    expect(store().info?.contacts).toBe(DEMO_CONTACTS);
    expect(needsOnboarding(store())).toBe(false);
  });

  it("refuses demo data over existing contacts with the backend's message", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "a@example.com" });
    await store().load();
    expect(await store().loadDemo()).toBeNull();
    expect(store().demo).toEqual({ status: "error", error: "The workspace already has contacts" });
  });

  it("remembers 'start empty' for this workspace file only", async () => {
    const fake = new FakeBackend().install();
    await store().load();
    store().dismissOnboarding();
    expect(needsOnboarding(store())).toBe(false);
    await store().load();
    expect(store().onboardingDismissed).toBe(true);
    fake.info.path = "/elsewhere/other.sqlite3";
    await store().load();
    expect(store().onboardingDismissed).toBe(false);
  });

  it("keeps what it had when a refresh fails", async () => {
    const fake = new FakeBackend().install();
    await store().load();
    fake.on("workspace_info", () => {
      throw commandError("internal", "nope");
    });
    await store().refresh();
    expect(store().info?.name).toBe("Acme Marketing");
  });
});

describe("workspace settings", () => {
  const input = { name: "Northwind", defaultRegion: "DE", defaultCurrency: "EUR", timeZone: "Europe/Berlin" };

  it("saves the settings and shows what was saved", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "a@example.com" });
    await store().load();
    const info = await store().saveSettings({ ...input, name: "  Northwind ", defaultRegion: "de" });
    expect(fake.callsOf("workspace_update_settings")[0]!.args).toEqual({
      input: { ...input, name: "  Northwind ", defaultRegion: "de" },
    });
    expect(info).toMatchObject({ ...input, contacts: 1 });
    expect(store().info).toEqual(info);
    const reread = await store().saveSettings({ ...input, defaultRegion: "" });
    expect(reread.defaultRegion).toBeNull();
  });

  it.each([
    ["name", { name: "   " }, "the workspace needs a name"],
    ["name", { name: "x".repeat(81) }, "at most 80 characters"],
    ["defaultRegion", { defaultRegion: "Narnia" }, '"Narnia" is not a country'],
    ["defaultCurrency", { defaultCurrency: "XYZ" }, '"XYZ" is not a currency'],
    ["timeZone", { timeZone: "Mars/Olympus" }, '"Mars/Olympus" is not a time zone'],
  ])("refuses an invalid %s, saving nothing", async (field, change, message) => {
    const fake = new FakeBackend().install();
    await store().load();
    const before = store().info;
    await expect(store().saveSettings({ ...input, ...change })).rejects.toMatchObject({
      kind: "validation",
      field,
      message: expect.stringContaining(message),
    });
    expect(store().info).toBe(before);
    expect(fake.info).toMatchObject({ name: "Acme Marketing", defaultRegion: "GB", defaultCurrency: "GBP", timeZone: "Europe/London" });
  });

  it("offers the currencies and time zones, sorted", async () => {
    new FakeBackend().install();
    const options = await workspaceSettingOptions();
    expect(options.currencies).toContain("GBP");
    expect(options.timeZones).toContain("Europe/London");
    expect([...options.currencies].sort()).toEqual(options.currencies);
    expect([...options.timeZones].sort()).toEqual(options.timeZones);
  });
});
