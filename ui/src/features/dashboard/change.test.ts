import { change, toneColor } from "./change";

describe("a period's change against the period before", () => {
  it("reads as an arrow and a rounded percentage", () => {
    expect(change(150, 100, "up")).toEqual({ label: "▲ 50%", tone: "good" });
    expect(change(75, 100, "up")).toEqual({ label: "▼ 25%", tone: "bad" });
    expect(change(1001, 1000, "up")).toEqual({ label: "▲ <1%", tone: "good" });
    expect(change(2, 1, "up")).toEqual({ label: "▲ 100%", tone: "good" });
  });

  it("calls more unsubscribes bad news and fewer good news", () => {
    expect(change(12, 4, "down")).toEqual({ label: "▲ 200%", tone: "bad" });
    expect(change(3, 4, "down")).toEqual({ label: "▼ 25%", tone: "good" });
  });

  it("says new when the period before had none, coloured by whether more is good", () => {
    expect(change(7, 0, "up")).toEqual({ label: "new", tone: "good" });
    expect(change(7, 0, "down")).toEqual({ label: "new", tone: "bad" });
  });

  it("says no change, in neutral, when both periods are equal (zero included)", () => {
    expect(change(0, 0, "up")).toEqual({ label: "no change", tone: "neutral" });
    expect(change(5, 5, "down")).toEqual({ label: "no change", tone: "neutral" });
  });

  it("colours good news green, bad news red and no change dimmed", () => {
    expect([toneColor("good"), toneColor("bad"), toneColor("neutral")]).toEqual(["teal", "red", "dimmed"]);
  });
});
