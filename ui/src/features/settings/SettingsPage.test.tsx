import { screen } from "@testing-library/react";
import { FakeBackend } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";

describe("settings", () => {
  it("shows the workspace settings read-only, with the region's name", async () => {
    const fake = new FakeBackend({ name: "Northwind", defaultRegion: "DE" }).install();
    fake.add({ email: "a@example.com" });
    renderApp("/settings");
    expect(await screen.findByTestId("settings-name")).toHaveTextContent("Northwind");
    expect(screen.getByTestId("settings-region")).toHaveTextContent("Germany (DE)");
    expect(screen.getByTestId("settings-currency")).toHaveTextContent("GBP");
    expect(screen.getByTestId("settings-path")).toHaveTextContent("workspace.sqlite3");
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });

  it("says when no default region is set", async () => {
    new FakeBackend({ defaultRegion: null }).install();
    renderApp("/settings");
    expect(await screen.findByTestId("settings-region")).toHaveTextContent("Not set");
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
