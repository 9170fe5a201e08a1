import { screen } from "@testing-library/react";
import { FakeBackend } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";
import { FIRST_SCREEN_FALLBACK_MS } from "../components/AppLayout";
import { firstScreenShown, firstScreenTold } from "./firstScreen";

const told = (fake: FakeBackend) => fake.calls.filter((c) => c.cmd === "app_first_screen_shown").length;

describe("telling the app its first screen is shown", () => {
  it("tells it once, after a frame", async () => {
    const fake = new FakeBackend().install();
    firstScreenShown();
    firstScreenShown();
    expect(firstScreenTold()).toBe(true);
    expect(told(fake)).toBe(0);
    await vi.waitFor(() => expect(told(fake)).toBe(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(told(fake)).toBe(1);
  });

  it("is told by the contact list once its first rows are shown", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "ada@example.com", firstName: "Ada" });
    renderApp("/contacts");
    await screen.findAllByTestId("contact-row");
    await vi.waitFor(() => expect(told(fake)).toBe(1));
  });

  it("is told by the dashboard once its figures are shown", async () => {
    const fake = new FakeBackend().install();
    fake.add({ email: "ada@example.com" });
    renderApp("/");
    await screen.findByTestId("stat-contacts");
    await vi.waitFor(() => expect(told(fake)).toBe(1));
  });

  it("is told by the shell a little after the workspace opens on any other screen", async () => {
    const fake = new FakeBackend().install();
    renderApp("/settings");
    await screen.findByTestId("workspace-name");
    expect(told(fake)).toBe(0);
    await vi.waitFor(() => expect(told(fake)).toBe(1), { timeout: FIRST_SCREEN_FALLBACK_MS + 3000 });
  });
});
