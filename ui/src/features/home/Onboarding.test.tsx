import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";

describe("first launch on an empty workspace", () => {
  it("offers the three ways to start", async () => {
    new FakeBackend().install();
    renderApp("/");
    expect(await screen.findByText("Welcome to Herald")).toBeInTheDocument();
    expect(screen.getByTestId("onboarding-import")).toHaveTextContent("Import a CSV");
    expect(screen.getByTestId("onboarding-demo")).toHaveTextContent("Try with demo data");
    expect(screen.getByTestId("onboarding-empty")).toHaveTextContent("Start empty");
    expect(screen.getByTestId("workspace-name")).toHaveTextContent("Acme Marketing");
  });

  it("loads 500 demo contacts and lands on the contacts table", async () => {
    const fake = new FakeBackend().install();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("onboarding-demo"));
    expect(fake.callsOf("workspace_load_demo")).toEqual([{ cmd: "workspace_load_demo", args: { count: 500 } }]);
    expect(await screen.findByTestId("contacts-total")).toHaveTextContent("500 contacts");
    expect((await screen.findAllByTestId("contact-row")).length).toBeGreaterThan(5);
  });

  it("shows why demo data failed and lets the user try again", async () => {
    const fake = new FakeBackend().install();
    fake.on("workspace_load_demo", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("onboarding-demo"));
    const error = await screen.findByTestId("onboarding-error");
    expect(error).toHaveTextContent("Something went wrong; details are in the log");
    fake.overrides.delete("workspace_load_demo");
    await user.click(within(error).getByTestId("onboarding-error-retry"));
    expect(await screen.findByTestId("contacts-total")).toHaveTextContent("500 contacts");
  });

  it("starts empty: the contacts screen says what to do, and onboarding is not offered again", async () => {
    new FakeBackend().install();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("onboarding-empty"));
    const empty = await screen.findByTestId("contacts-empty");
    expect(empty).toHaveTextContent("No contacts yet");
    expect(within(empty).getByTestId("empty-import")).toBeInTheDocument();
    expect(within(empty).getByTestId("empty-add-contact")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-dashboard"));
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(screen.queryByText("Welcome to Herald")).not.toBeInTheDocument();
  });

  it("opens the import wizard from 'Import a CSV'", async () => {
    new FakeBackend().install();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("onboarding-import"));
    expect(await screen.findByTestId("import-dropzone")).toBeInTheDocument();
  });

  it("is not shown when the workspace has contacts", async () => {
    const fake = new FakeBackend().install();
    fake.add({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    renderApp("/");
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("1"));
    expect(screen.queryByTestId("onboarding")).not.toBeInTheDocument();
  });
});
