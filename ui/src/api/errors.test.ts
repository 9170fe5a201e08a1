import { errorField, errorMessage, isCommandError } from "./errors";

describe("command errors", () => {
  it("recognises the backend's error shape only", () => {
    expect(isCommandError({ kind: "validation", message: "bad", field: "email" })).toBe(true);
    expect(isCommandError({ kind: "keychain_unavailable", message: "no keychain", field: null })).toBe(true);
    expect(isCommandError({ kind: "relay", message: "refused", field: null })).toBe(true);
    expect(isCommandError({ kind: "teapot", message: "bad" })).toBe(false);
    expect(isCommandError({ kind: "internal" })).toBe(false);
    expect(isCommandError("internal")).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });

  it("turns anything thrown into a sentence", () => {
    expect(errorMessage({ kind: "not_found", message: "No such contact", field: null })).toBe("No such contact");
    expect(errorMessage(new Error("socket closed"))).toBe("socket closed");
    expect(errorMessage("plain text")).toBe("plain text");
    expect(errorMessage(undefined)).toBe("Something went wrong. Please try again.");
  });

  it("names the form field of validation and conflict errors, in camelCase", () => {
    expect(errorField({ kind: "validation", message: "x", field: "first_name" })).toBe("firstName");
    expect(errorField({ kind: "conflict", message: "x", field: "email" })).toBe("email");
    expect(errorField({ kind: "internal", message: "x", field: "email" })).toBeNull();
    expect(errorField({ kind: "validation", message: "x", field: null })).toBeNull();
    expect(errorField(new Error("x"))).toBeNull();
  });
});
