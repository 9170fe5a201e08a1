import { screen } from "@testing-library/react";
import { FakeBackend, commandError } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

describe("app shell", () => {
  it("has only the screens that work in its navigation", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "a@example.com" });
    renderApp("/");
    await screen.findByTestId("stat-contacts");
    const links = screen.getAllByRole("link").filter((a) => a.closest("nav"));
    expect(links.map((a) => a.textContent?.replace(/\d+$/, ""))).toEqual(["Dashboard", "Contacts", "Segments", "Campaigns", "Import CSV", "Settings"]);
    expect(screen.getByTestId("nav-contacts")).toHaveTextContent("1");
  });

  it("explains a workspace that cannot be opened, and retries", async () => {
    const fake = new FakeBackend().install();
    fake.on("workspace_info", () => {
      throw commandError("internal", "The workspace file is locked by another program");
    });
    const { user } = renderApp("/");
    expect(await screen.findByTestId("error")).toHaveTextContent("The workspace file is locked by another program");
    fake.overrides.delete("workspace_info");
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findByText("Welcome to Herald")).toBeInTheDocument();
  });

  it("sends unknown addresses to the start", async () => {
    new FakeBackend().install();
    renderApp("/no-such-screen");
    expect(await screen.findByText("Welcome to Herald")).toBeInTheDocument();
  });
});
