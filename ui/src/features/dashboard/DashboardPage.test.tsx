import { screen, waitFor, within } from "@testing-library/react";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";

function fakeWith(): FakeBackend {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", email: "ada@example.com", tags: ["vip", "newsletter"], createdAt: "2024-05-01T00:00:00Z" });
  fake.add({ firstName: "Grace", email: "grace@example.com", tags: ["newsletter"], emailStatus: "unsubscribed", smsStatus: "opted_out", createdAt: "2024-04-01T00:00:00Z" });
  fake.add({ firstName: "Tim", email: "tim@example.com", tags: ["newsletter"], emailStatus: "bounced", createdAt: "2024-03-01T00:00:00Z" });
  fake.add({ firstName: "Linus", phone: "+14155552671", createdAt: "2024-02-01T00:00:00Z" });
  fake.tagNames.push("unused");
  return fake;
}

describe("dashboard", () => {
  it("shows the real counts, the newest contacts and the top tags", async () => {
    fakeWith();
    renderApp("/");
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4"));
    expect(screen.getByTestId("stat-email-subscribed")).toHaveTextContent("2");
    expect(screen.getByTestId("stat-email-unsubscribed")).toHaveTextContent("1");
    expect(screen.getByTestId("stat-sms-subscribed")).toHaveTextContent("3");
    expect(screen.getByText("Ada")).toBeInTheDocument();
    const tags = screen.getByTestId("top-tags");
    expect(within(tags).getAllByText(/newsletter|vip/).map((e) => e.textContent)).toEqual(["newsletter", "vip"]);
    expect(tags).not.toHaveTextContent("unused");
  });

  it("offers the import and add-contact shortcuts", async () => {
    fakeWith();
    const { user } = renderApp("/");
    await user.click(await screen.findByTestId("dashboard-add-contact"));
    expect(await screen.findByTestId("contact-form")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-dashboard"));
    await user.click(await screen.findByTestId("dashboard-import"));
    expect(await screen.findByTestId("import-dropzone")).toBeInTheDocument();
  });

  it("shows an error where the overview would be, with a retry", async () => {
    const fake = fakeWith();
    fake.on("tags_list", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/");
    expect(await screen.findByTestId("dashboard-error")).toHaveTextContent("Something went wrong");
    fake.overrides.delete("tags_list");
    await user.click(screen.getByTestId("dashboard-error-retry"));
    await waitFor(() => expect(screen.getByTestId("stat-contacts")).toHaveTextContent("4"));
  });
});
