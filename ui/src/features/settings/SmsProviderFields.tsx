import { PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import type { SmsSettingsView } from "../../api/sms";
import type { SmsErrors, SmsField, SmsValues } from "./smsValues";

type Props = {
  values: SmsValues;
  view: SmsSettingsView;
  errors: SmsErrors;
  change: <K extends SmsField>(f: K, value: SmsValues[K]) => void;
};

const KEEP = "Stored in your system keychain. Leave blank to keep it.";
const FRESH = "Stored in your system keychain, never in the workspace file.";

/** The chosen provider's account and sender fields. */
export function SmsProviderFields({ values, view, errors, change }: Props) {
  const common = (f: SmsField) => ({
    error: errors[f],
    errorProps: { "data-testid": `sms-error-${f}` },
    "data-testid": `sms-${f}`,
  });
  const secretProps = { autoComplete: "new-password", inputWrapperOrder: ["label", "input", "description", "error"] as ("label" | "input" | "description" | "error")[] };

  if (values.provider === "twilio") {
    return (
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <TextInput
            label="Account SID"
            withAsterisk
            placeholder="AC…"
            value={values.twilioAccountSid}
            onChange={(e) => change("twilioAccountSid", e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            {...common("twilioAccountSid")}
          />
          <PasswordInput
            label="Auth token"
            withAsterisk={!view.twilioAuthTokenStored}
            description={view.twilioAuthTokenStored ? KEEP : FRESH}
            placeholder={view.twilioAuthTokenStored ? "•••••••• (unchanged)" : "From the Twilio console"}
            value={values.twilioAuthToken}
            onChange={(e) => change("twilioAuthToken", e.currentTarget.value)}
            {...secretProps}
            {...common("twilioAuthToken")}
          />
        </SimpleGrid>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Send from
          </Text>
          <SegmentedControl
            value={values.twilioSender}
            onChange={(v) => change("twilioSender", v as SmsValues["twilioSender"])}
            data={[
              { value: "number", label: "A Twilio number" },
              { value: "service", label: "A Messaging Service" },
            ]}
            maw={420}
            data-testid="sms-twilioSender"
          />
          {values.twilioSender === "number" ? (
            <TextInput
              placeholder="+14155550123"
              aria-label="From number"
              description="A number in your Twilio account, with its country code."
              inputWrapperOrder={["label", "input", "description", "error"]}
              value={values.twilioFrom}
              onChange={(e) => change("twilioFrom", e.currentTarget.value)}
              maw={420}
              {...common("twilioFrom")}
            />
          ) : (
            <TextInput
              placeholder="MG…"
              aria-label="Messaging Service SID"
              description="Twilio picks the sender from the service's number pool."
              inputWrapperOrder={["label", "input", "description", "error"]}
              value={values.twilioMessagingServiceSid}
              onChange={(e) => change("twilioMessagingServiceSid", e.currentTarget.value)}
              spellCheck={false}
              maw={420}
              {...common("twilioMessagingServiceSid")}
            />
          )}
        </Stack>
      </Stack>
    );
  }

  const jwt = values.vonageApi === "messages";
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          API
        </Text>
        <SegmentedControl
          value={values.vonageApi}
          onChange={(v) => change("vonageApi", v as SmsValues["vonageApi"])}
          data={[
            { value: "messages", label: "Messages API" },
            { value: "sms", label: "SMS API" },
          ]}
          maw={420}
          data-testid="sms-vonageApi"
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <TextInput
          label="API key"
          withAsterisk
          value={values.vonageApiKey}
          onChange={(e) => change("vonageApiKey", e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          {...common("vonageApiKey")}
        />
        <PasswordInput
          label="API secret"
          description={view.vonageApiSecretStored ? KEEP : FRESH}
          placeholder={view.vonageApiSecretStored ? "•••••••• (unchanged)" : "From the Vonage dashboard"}
          value={values.vonageApiSecret}
          onChange={(e) => change("vonageApiSecret", e.currentTarget.value)}
          {...secretProps}
          {...common("vonageApiSecret")}
        />
      </SimpleGrid>
      {jwt && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <TextInput
            label="Application id"
            description="Optional: sign requests with the application's key (JWT) instead of the API secret."
            inputWrapperOrder={["label", "input", "description", "error"]}
            placeholder="aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
            value={values.vonageApplicationId}
            onChange={(e) => change("vonageApplicationId", e.currentTarget.value)}
            spellCheck={false}
            {...common("vonageApplicationId")}
          />
          {values.vonageApplicationId.trim() && (
            <Textarea
              label="Private key"
              description={view.vonagePrivateKeyStored ? KEEP : "PEM. " + FRESH}
              placeholder={view.vonagePrivateKeyStored ? "(unchanged)" : "-----BEGIN PRIVATE KEY-----"}
              autosize
              minRows={3}
              maxRows={8}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 12 } }}
              value={values.vonagePrivateKey}
              onChange={(e) => change("vonagePrivateKey", e.currentTarget.value)}
              inputWrapperOrder={["label", "input", "description", "error"]}
              {...common("vonagePrivateKey")}
            />
          )}
        </SimpleGrid>
      )}
      <TextInput
        label="From"
        withAsterisk
        description="A Vonage number with its country code, or a sender id of up to 11 letters and digits where the country allows one."
        inputWrapperOrder={["label", "input", "description", "error"]}
        placeholder="+447700900123 or ACME"
        value={values.vonageFrom}
        onChange={(e) => change("vonageFrom", e.currentTarget.value)}
        maw={420}
        {...common("vonageFrom")}
      />
    </Stack>
  );
}
