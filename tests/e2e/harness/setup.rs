//! Getting a test's workspace ready the way a person (or a script) would:
//! contacts and a segment through the CLI, relay keys into the keychain,
//! Settings → Email in the UI.

use serde_json::json;

use super::App;

impl App {
    /// Adds consenting contacts through the CLI, each `(first name,
    /// address)` with `address_flag` (`--email` or `--phone`), tagged `tag`,
    /// and a segment called `segment` of everyone with that tag.
    pub fn tagged_segment(
        &self,
        address_flag: &str,
        people: &[(&str, &str)],
        tag: &str,
        segment: &str,
    ) {
        for (first, address) in people {
            self.herald(&[
                "contacts",
                "add",
                address_flag,
                address,
                "--first-name",
                first,
                "--tag",
                tag,
                "--consent-source",
                "e2e",
            ]);
        }
        let filter = self.dir.path().join(format!("{tag}.json"));
        let rule = json!({"all": [{"field": "tag", "op": "has_any", "value": [tag]}]});
        std::fs::write(&filter, rule.to_string()).expect("writing the segment's filter");
        let filter = filter.to_str().expect("a UTF-8 temp path");
        self.herald(&["segments", "create", "--name", segment, "--filter", filter]);
    }

    /// Relay keys made with the CLI (into the keychain the app reads):
    /// `(signing key, API token)` as the relay's configuration takes them.
    pub fn relay_keys(&self) -> (String, String) {
        let printed = self.herald(&["relay", "keys", "generate"]);
        let line = |name: &str| {
            printed
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("`herald relay keys generate` printed no {name}"))
                .to_owned()
        };
        (
            line("HERALD_RELAY_SIGNING_KEY"),
            line("HERALD_RELAY_API_TOKEN"),
        )
    }

    /// Settings → Email filled in as a person would, pointed at the test
    /// SMTP server on loopback `port`, and saved.
    pub async fn configure_email(&self, port: u16) {
        self.go("/settings").await;
        self.find("email-form").await;
        self.type_into("email-host", "127.0.0.1").await;
        self.type_into("email-port", &port.to_string()).await;
        self.choose("email-security", "None").await;
        self.type_into("email-fromName", "Herald E2E").await;
        self.type_into("email-fromAddress", "news@herald.test")
            .await;
        self.type_into("email-unsubscribeMailto", "unsubscribe@herald.test")
            .await;
        self.screenshot("settings-email").await;
        self.click("email-save").await;
        self.until("the email settings saved", || async {
            self.content("email-status").await.trim() == "Set up"
        })
        .await;
    }
}
