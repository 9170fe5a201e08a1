import { countryName, formatDate, formatMoney, humanize, initials, localDateTimeInputValue, plural } from "./format";
import { statusColor, statusLabel } from "./status";

describe("formatting", () => {
  it("formats money from minor units with the currency's decimals", () => {
    expect(formatMoney(125050, "GBP")).toMatch(/1,250\.50/);
    expect(formatMoney(500000, "USD")).toMatch(/5,000(?!\.)/);
    expect(formatMoney(1234, "JPY")).toMatch(/1,234/);
    expect(formatMoney(1050, "XXQ")).toMatch(/10\.50/);
    expect(formatMoney(1050, "nope")).toBe("10.50 nope");
  });

  it("formats dates and says so when there is none", () => {
    expect(formatDate("2024-03-05T10:00:00Z")).toMatch(/2024/);
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });

  it("names countries and keeps unknown codes", () => {
    expect(countryName("gb")).toBe("United Kingdom");
    expect(countryName("")).toBe("");
    expect(countryName("not-a-code")).toBe("not-a-code");
  });

  it("makes initials, labels and counts", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("grace@navy.example")).toBe("GE");
    expect(initials("  ")).toBe("?");
    expect(humanize("on_hold")).toBe("On hold");
    expect(plural(1, "row")).toBe("1 row");
    expect(plural(2500, "row")).toBe("2,500 rows");
    expect(statusLabel("opted_out")).toBe("Opted out");
    expect(statusLabel("mystery")).toBe("mystery");
    expect(statusColor("complained")).toBe("red");
    expect(statusColor("mystery")).toBe("gray");
    expect(localDateTimeInputValue(new Date(2025, 2, 1, 9, 5))).toBe("2025-03-01T09:05");
  });
});
