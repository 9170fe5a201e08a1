import { screen, waitFor, within } from "@testing-library/react";
import type userEvent from "@testing-library/user-event";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";
import { useWorkspaceStore } from "../../stores/workspace";
import { currencyLabel, timeZoneLabel } from "./labels";

type User = ReturnType<typeof userEvent.setup>;

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const save = () => screen.getByTestId("settings-save");
const discard = () => screen.getByTestId("settings-discard");

async function choose(user: User, testId: string, search: string, option: string | RegExp) {
  await user.click(input(testId));
  await user.clear(input(testId));
  await user.type(input(testId), search);
  await user.click(await screen.findByRole("option", { name: option }));
}

/** Opens the page and waits for the form and its option lists. */
async function open(fake: FakeBackend) {
  const rendered = renderApp("/settings");
  await screen.findByTestId("settings-form");
  await waitFor(() => expect(fake.callsOf("workspace_setting_options")).toHaveLength(1));
  return rendered;
}

describe("settings", () => {
  it("shows the current workspace settings in the form", async () => {
    const fake = new FakeBackend({ name: "Northwind", defaultRegion: "DE" }).install();
    fake.add({ email: "a@example.com" });
    await open(fake);
    expect(input("settings-name")).toHaveValue("Northwind");
    expect(input("settings-region")).toHaveValue("Germany (DE)");
    expect(input("settings-currency")).toHaveValue(currencyLabel("GBP"));
    expect(input("settings-currency").value).toMatch(/^GBP/);
    expect(input("settings-time-zone")).toHaveValue(timeZoneLabel("Europe/London"));
    expect(input("settings-time-zone").value).toMatch(/^Europe\/London/);
    expect(screen.getByTestId("settings-path")).toHaveTextContent("workspace.sqlite3");
    expect(screen.getByText(/Phone numbers without a \+country code are read as numbers from this country/)).toBeInTheDocument();
    expect(screen.getByText("Used for revenue and project values.")).toBeInTheDocument();
    expect(screen.getByText(/count calendar days in this zone/)).toBeInTheDocument();
    expect(screen.queryByText(/read-only/)).not.toBeInTheDocument();
  });

  it("shows no region when none is set", async () => {
    const fake = new FakeBackend({ defaultRegion: null }).install();
    await open(fake);
    expect(input("settings-region")).toHaveValue("");
    expect(input("settings-region")).toHaveAttribute("placeholder", "None");
  });

  it("keeps Save disabled until something changes, and again when changed back", async () => {
    const fake = new FakeBackend({ name: "Northwind" }).install();
    const { user } = await open(fake);
    expect(save()).toBeDisabled();
    expect(discard()).toBeDisabled();
    expect(screen.queryByTestId("settings-unsaved")).not.toBeInTheDocument();

    await user.type(input("settings-name"), " Traders");
    expect(save()).toBeEnabled();
    expect(screen.getByTestId("settings-unsaved")).toHaveTextContent("Unsaved changes");

    await user.clear(input("settings-name"));
    await user.type(input("settings-name"), "Northwind ");
    expect(save()).toBeDisabled();
    expect(fake.callsOf("workspace_update_settings")).toHaveLength(0);
  });

  it("saves every setting together and shows the saved values", async () => {
    const fake = new FakeBackend({ name: "Northwind", defaultRegion: "GB" }).install();
    const { user } = await open(fake);

    await user.clear(input("settings-name"));
    await user.type(input("settings-name"), "  Northwind Traders ");
    await choose(user, "settings-region", "germ", "Germany (DE)");
    await choose(user, "settings-currency", "EUR", /^EUR/);
    await choose(user, "settings-time-zone", "berlin", /^Europe\/Berlin/);
    await user.click(save());

    expect(await screen.findByText("Settings saved")).toBeInTheDocument();
    expect(screen.getByText("Segment date rules now count days in Europe/Berlin.")).toBeInTheDocument();
    expect(fake.callsOf("workspace_update_settings").map((c) => c.args)).toEqual([
      { input: { name: "Northwind Traders", defaultRegion: "DE", defaultCurrency: "EUR", timeZone: "Europe/Berlin" } },
    ]);
    expect(fake.info).toMatchObject({ name: "Northwind Traders", defaultRegion: "DE", defaultCurrency: "EUR", timeZone: "Europe/Berlin" });
    expect(useWorkspaceStore.getState().info).toMatchObject({ name: "Northwind Traders", timeZone: "Europe/Berlin" });
    expect(screen.getByTestId("workspace-name")).toHaveTextContent("Northwind Traders");
    expect(input("settings-name")).toHaveValue("Northwind Traders");
    expect(input("settings-region")).toHaveValue("Germany (DE)");
    expect(input("settings-currency").value).toMatch(/^EUR/);
    expect(input("settings-time-zone").value).toMatch(/^Europe\/Berlin/);
    expect(save()).toBeDisabled();
    expect(screen.queryByTestId("settings-unsaved")).not.toBeInTheDocument();
  });

  it("clears the default region", async () => {
    const fake = new FakeBackend({ name: "Northwind", defaultRegion: "GB" }).install();
    const { user } = await open(fake);
    const clear = within(input("settings-region").parentElement!).getByRole("button", { hidden: true });
    await user.click(clear);
    expect(input("settings-region")).toHaveValue("");
    await user.click(save());
    expect(await screen.findByText("Northwind is up to date.")).toBeInTheDocument();
    expect(fake.callsOf("workspace_update_settings")[0]!.args).toEqual({
      input: { name: "Northwind", defaultRegion: "", defaultCurrency: "GBP", timeZone: "Europe/London" },
    });
    expect(fake.info.defaultRegion).toBeNull();
  });

  it("shows loading on Save while the settings are being saved", async () => {
    const fake = new FakeBackend({ name: "Northwind" }).install();
    const { user } = await open(fake);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    fake.on("workspace_update_settings", async () => {
      await gate;
      return { ...fake.info, name: "Southwind" };
    });
    await user.clear(input("settings-name"));
    await user.type(input("settings-name"), "Southwind");
    await user.click(save());
    await waitFor(() => expect(save()).toHaveAttribute("data-loading", "true"));
    expect(discard()).toBeDisabled();
    release();
    expect(await screen.findByText("Settings saved")).toBeInTheDocument();
    expect(save()).not.toHaveAttribute("data-loading");
  });

  it("puts the backend's field error under that field and changes nothing else", async () => {
    const fake = new FakeBackend({ name: "Northwind" }).install();
    fake.on("workspace_update_settings", () => {
      throw commandError("validation", '"Mars/Olympus" is not a time zone; use an IANA name such as Europe/Berlin', "timeZone");
    });
    const { user } = await open(fake);
    await user.clear(input("settings-name"));
    await user.type(input("settings-name"), "Southwind");
    await choose(user, "settings-currency", "USD", /^USD/);
    await user.click(save());

    expect(await screen.findByTestId("settings-error-timeZone")).toHaveTextContent('"Mars/Olympus" is not a time zone');
    expect(input("settings-time-zone")).toHaveAttribute("aria-invalid", "true");
    expect(input("settings-time-zone")).toHaveFocus();
    for (const f of ["name", "defaultRegion", "defaultCurrency"]) {
      expect(screen.queryByTestId(`settings-error-${f}`)).not.toBeInTheDocument();
    }
    expect(screen.queryByTestId("settings-form-error")).not.toBeInTheDocument();
    expect(screen.queryByText("Settings saved")).not.toBeInTheDocument();
    // The edits stay, nothing was saved, and the rest of the app still shows the old name.
    expect(input("settings-name")).toHaveValue("Southwind");
    expect(input("settings-currency").value).toMatch(/^USD/);
    expect(save()).toBeEnabled();
    expect(fake.info).toMatchObject({ name: "Northwind", defaultCurrency: "GBP", timeZone: "Europe/London" });
    expect(useWorkspaceStore.getState().info?.name).toBe("Northwind");
    expect(screen.getByTestId("workspace-name")).toHaveTextContent("Northwind");

    // Choosing another zone clears its error.
    await choose(user, "settings-time-zone", "paris", /^Europe\/Paris/);
    expect(screen.queryByTestId("settings-error-timeZone")).not.toBeInTheDocument();
  });

  it("says a name is needed, and does not send an empty one", async () => {
    const fake = new FakeBackend({ name: "Northwind" }).install();
    const { user } = await open(fake);
    await user.clear(input("settings-name"));
    expect(screen.getByTestId("settings-error-name")).toHaveTextContent("Give the workspace a name");
    expect(input("settings-name")).toHaveAttribute("aria-invalid", "true");
    await user.click(save());
    expect(input("settings-name")).toHaveFocus();
    expect(fake.callsOf("workspace_update_settings")).toHaveLength(0);
  });

  it("shows an error that names no field above the form", async () => {
    const fake = new FakeBackend({ name: "Northwind" }).install();
    fake.on("workspace_update_settings", () => {
      throw commandError("internal", "The workspace file is read-only");
    });
    const { user } = await open(fake);
    await user.type(input("settings-name"), "!");
    await user.click(save());
    expect(await screen.findByTestId("settings-form-error")).toHaveTextContent("The workspace file is read-only");
    await user.type(input("settings-name"), "!");
    expect(screen.queryByTestId("settings-form-error")).not.toBeInTheDocument();
  });

  it("discards the changes back to the saved values", async () => {
    const fake = new FakeBackend({ name: "Northwind", defaultRegion: "DE" }).install();
    fake.on("workspace_update_settings", () => {
      throw commandError("validation", "a workspace name is at most 80 characters", "name");
    });
    const { user } = await open(fake);
    await user.type(input("settings-name"), " Traders");
    await choose(user, "settings-region", "fra", "France (FR)");
    await choose(user, "settings-time-zone", "tokyo", /^Asia\/Tokyo/);
    await user.click(save());
    expect(await screen.findByTestId("settings-error-name")).toHaveTextContent("at most 80 characters");

    await user.click(discard());
    expect(input("settings-name")).toHaveValue("Northwind");
    expect(input("settings-region")).toHaveValue("Germany (DE)");
    expect(input("settings-time-zone").value).toMatch(/^Europe\/London/);
    expect(screen.queryByTestId("settings-error-name")).not.toBeInTheDocument();
    expect(save()).toBeDisabled();
    expect(discard()).toBeDisabled();
  });

  it("still shows the saved values when the lists of choices cannot be loaded", async () => {
    const fake = new FakeBackend().install();
    fake.on("workspace_setting_options", () => {
      throw commandError("internal", "boom");
    });
    await open(fake);
    expect(await screen.findByTestId("settings-options-error")).toHaveTextContent("could not be loaded: boom");
    expect(input("settings-currency").value).toMatch(/^GBP/);
    expect(input("settings-time-zone").value).toMatch(/^Europe\/London/);
  });

  it("switches between system, light and dark appearance", async () => {
    new FakeBackend().install();
    const { user } = renderApp("/settings");
    await user.click(await screen.findByText("Dark"));
    expect(document.documentElement).toHaveAttribute("data-mantine-color-scheme", "dark");
    await user.click(screen.getByText("Light"));
    expect(document.documentElement).toHaveAttribute("data-mantine-color-scheme", "light");
  });
});

describe("setting labels", () => {
  it("names currencies and shows a zone's offset", () => {
    expect(currencyLabel("EUR")).toMatch(/^EUR — /);
    expect(currencyLabel("ZZZ")).toBe("ZZZ");
    expect(timeZoneLabel("America/New_York", new Date("2025-01-15T12:00:00Z"))).toBe("America/New York (GMT-5)");
    expect(timeZoneLabel("Europe/Berlin", new Date("2025-07-15T12:00:00Z"))).toBe("Europe/Berlin (GMT+2)");
    expect(timeZoneLabel("Not/AZone")).toBe("Not/AZone");
  });
});
