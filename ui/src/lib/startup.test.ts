import { FakeBackend } from "../../test/fakeBackend";
import { startProbeIfAsked, startupProbeActive, whenFirstRowPainted } from "./startup";

function addRow() {
  const row = document.createElement("div");
  row.dataset.testid = "contact-row";
  document.body.appendChild(row);
}

afterEach(() => {
  delete window.__HERALD_STARTUP_PROBE__;
  document.body.innerHTML = "";
});

describe("the start-up probe in the UI", () => {
  it("is off unless the app injected its flag", () => {
    expect(startupProbeActive()).toBe(false);
    window.__HERALD_STARTUP_PROBE__ = true;
    expect(startupProbeActive()).toBe(true);
  });

  it("reports the first row only after it is in the document and a frame has passed", async () => {
    const painted = vi.fn();
    whenFirstRowPainted(document, painted);
    await new Promise((r) => setTimeout(r, 50));
    expect(painted).not.toHaveBeenCalled();
    addRow();
    await vi.waitFor(() => expect(painted).toHaveBeenCalledTimes(1));
    addRow();
    await new Promise((r) => setTimeout(r, 50));
    expect(painted).toHaveBeenCalledTimes(1);
  });

  it("stops watching when cancelled", async () => {
    const painted = vi.fn();
    const cancel = whenFirstRowPainted(document, painted);
    cancel();
    addRow();
    await new Promise((r) => setTimeout(r, 50));
    expect(painted).not.toHaveBeenCalled();
  });

  it("sends the page's marks to the app once the first row is painted", async () => {
    const fake = new FakeBackend().install();
    fake.on("startup_probe_finish", () => null);
    window.__HERALD_STARTUP_PROBE__ = true;
    startProbeIfAsked(12.5);
    addRow();
    await vi.waitFor(() => expect(fake.calls.map((c) => c.cmd)).toContain("startup_probe_finish"));
    const { marks } = fake.calls.find((c) => c.cmd === "startup_probe_finish")!.args as {
      marks: { navigationStart: number; scriptStart: number; firstRowInDom: number; firstRowPainted: number };
    };
    expect(marks.navigationStart).toBe(performance.timeOrigin);
    expect(marks.scriptStart).toBe(12.5);
    expect(marks.firstRowInDom).toBeGreaterThanOrEqual(marks.navigationStart);
    expect(marks.firstRowPainted).toBeGreaterThanOrEqual(marks.firstRowInDom);
  });

  it("does nothing on a normal launch", async () => {
    const fake = new FakeBackend().install();
    startProbeIfAsked(1);
    addRow();
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls).toEqual([]);
  });
});
