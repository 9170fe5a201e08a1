import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ChartRequest, ChartView } from "../../api/charts";
import { commandError, FakeBackend } from "../../../test/fakeBackend";
import { renderWithProviders } from "../../../test/render";
import { AnalyticsChart } from "./AnalyticsChart";

const SVG = '<svg width="100%" height="100%" viewBox="0 0 640 260" xmlns="http://www.w3.org/2000/svg"><text>Opens per hour</text></svg>';

function view(over: Partial<ChartView> = {}): ChartView {
  return {
    svg: SVG,
    width: 640,
    height: 260,
    bucket: "hour",
    empty: false,
    points: [
      { x: 100, y: 50, series: "Opens", label: "Tue 3 Nov, 14:00", value: "12 opens", color: "#4c6ef5" },
      { x: 120, y: 200, series: "Clicks", label: "Tue 3 Nov, 14:00", value: "3 clicks", color: "#12b886" },
    ],
    ...over,
  };
}

const SPEC = { kind: "engagement", campaignId: "c-1", from: null, to: null } as const;

describe("AnalyticsChart", () => {
  it("asks for the chart at the card's size and theme, and shows the SVG with its bucket", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_chart", () => view());
    renderWithProviders(<AnalyticsChart spec={SPEC} title="Opens and clicks" />);
    const svg = await screen.findByTestId("chart-engagement-svg");
    expect(svg.querySelector("svg")).not.toBeNull();
    expect(svg).toHaveTextContent("Opens per hour");
    expect(screen.getByTestId("chart-engagement-bucket")).toHaveTextContent("per hour");
    const request = (fake.callsOf("analytics_chart")[0]!.args as { request: ChartRequest }).request;
    expect(request).toMatchObject({ spec: SPEC, theme: "light", height: 260 });
    expect(request.width).toBeGreaterThanOrEqual(200);
  });

  it("shows a point's label and value on hover and on keyboard focus", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_chart", () => view());
    const { user } = renderWithProviders(<AnalyticsChart spec={SPEC} title="Opens and clicks" />);
    const points = await screen.findAllByTestId("chart-engagement-point");
    expect(points).toHaveLength(2);
    // The box is 1280 px wide (the test setup's clientWidth) and this chart
    // 640 × 260: the SVG keeps its ratio, centred, so points shift by 320 px.
    expect(points[0]).toHaveStyle({ left: "420px", top: "50px" });
    await user.hover(points[0]!);
    expect(screen.getByRole("tooltip")).toHaveTextContent("Tue 3 Nov, 14:00 — 12 opens");
    await user.unhover(points[0]!);
    expect(screen.queryByRole("tooltip")).toBeNull();
    fireEvent.focus(points[1]!);
    expect(screen.getByRole("tooltip")).toHaveTextContent("3 clicks");
  });

  it("shows the error with a retry that asks again", async () => {
    const fake = new FakeBackend().install();
    let calls = 0;
    fake.on("analytics_chart", () => {
      calls += 1;
      if (calls === 1) throw commandError("not_found", "Campaign c-1 not found");
      return view();
    });
    const { user } = renderWithProviders(<AnalyticsChart spec={SPEC} title="Opens and clicks" />);
    expect(await screen.findByTestId("chart-engagement-error")).toHaveTextContent("Campaign c-1 not found");
    await user.click(screen.getByTestId("chart-engagement-error-retry"));
    expect(await screen.findByTestId("chart-engagement-svg")).toBeInTheDocument();
    expect(calls).toBe(2);
  });

  it("says so when there is nothing to show yet", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_chart", () => view({ empty: true, bucket: null, points: [] }));
    renderWithProviders(<AnalyticsChart spec={{ kind: "growth" }} title="Audience growth" testId="growth" />);
    expect(await screen.findByTestId("growth-empty")).toHaveTextContent("No one subscribed or unsubscribed");
    expect(screen.getByTestId("growth-svg")).toBeInTheDocument();
    expect(screen.queryByTestId("growth-bucket")).toBeNull();
  });

  it("exports a PNG through the export command under the given name", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_chart", () => view());
    fake.on("analytics_chart_export", () => ({ fileName: "funnel.png", mime: "image/png", base64: btoa("\x89PNG") }));
    const createObjectURL = vi.fn(() => "blob:chart");
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const { user } = renderWithProviders(
      <AnalyticsChart spec={{ kind: "funnel", campaignId: "c-1" }} title="Funnel" exportName="spring-sale-funnel" />,
    );
    await screen.findByTestId("chart-funnel-svg");
    await user.click(screen.getByTestId("chart-funnel-export"));
    await user.click(await screen.findByTestId("chart-funnel-export-png"));
    await waitFor(() => expect(clicked).toEqual(["spring-sale-funnel.png"]));
    const call = fake.callsOf("analytics_chart_export")[0]!.args as { request: ChartRequest; format: string };
    expect(call.format).toBe("png");
    expect(call.request.spec).toEqual({ kind: "funnel", campaignId: "c-1" });
    expect(call.request.width).toBeGreaterThanOrEqual(800);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    click.mockRestore();
  });

  it("has no export menu without an export name", async () => {
    const fake = new FakeBackend().install();
    fake.on("analytics_chart", () => view());
    renderWithProviders(<AnalyticsChart spec={SPEC} title="Opens and clicks" />);
    await screen.findByTestId("chart-engagement-svg");
    expect(screen.queryByTestId("chart-engagement-export")).toBeNull();
  });
});
