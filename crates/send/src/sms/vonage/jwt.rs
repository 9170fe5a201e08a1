//! The JWT a Vonage application authenticates with on the Messages API:
//! RS256 over `{application_id, iat, exp, jti}`, signed with the private key
//! Vonage generated for the application. Written by hand (a few lines,
//! easy to audit) on the `rsa` crate the workspace already has.
//!
//! Signing costs about a millisecond, so one token is reused until it is
//! within a few minutes of expiring.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::RsaPrivateKey;
use uuid::Uuid;

/// How long a token is valid.
const LIFETIME: Duration = Duration::from_secs(15 * 60);
/// A token is replaced when less than this is left of it.
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Reads a private key in PEM, PKCS#8 (`BEGIN PRIVATE KEY`, as Vonage
/// hands it out) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). The error never
/// quotes the key.
pub(crate) fn private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    let pem = pem.trim();
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| {
            "not an RSA private key in PEM form; paste the whole private.key file Vonage \
             gave for the application, from -----BEGIN PRIVATE KEY----- to the END line"
                .to_owned()
        })
}

/// Makes (and reuses) the application's tokens.
pub(super) struct JwtSigner {
    application_id: Uuid,
    key: SigningKey<Sha256>,
    /// The last token and when it expires (seconds since the epoch).
    current: Mutex<Option<(String, u64)>>,
}

impl fmt::Debug for JwtSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSigner")
            .field("application_id", &self.application_id)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl JwtSigner {
    pub(super) fn new(application_id: Uuid, key: RsaPrivateKey) -> JwtSigner {
        JwtSigner {
            application_id,
            key: SigningKey::new(key),
            current: Mutex::new(None),
        }
    }

    /// A token valid for at least a few more minutes.
    pub(super) fn token(&self) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((token, expires)) = current.as_ref() {
            if now + RENEW_BEFORE.as_secs() < *expires {
                return token.clone();
            }
        }
        let token = self.sign(now);
        *current = Some((token.clone(), now + LIFETIME.as_secs()));
        token
    }

    fn sign(&self, now: u64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let claims = serde_json::json!({
            "application_id": self.application_id,
            "iat": now,
            "exp": now + LIFETIME.as_secs(),
            "jti": Uuid::now_v7(),
        });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signed = format!("{header}.{claims}");
        let signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};
    use rsa::signature::Verifier as _;

    #[test]
    fn tokens_are_rs256_over_the_application_claims_and_reused() {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
        let key = private_key(&pem).unwrap();
        let verifying = VerifyingKey::<Sha256>::new(key.to_public_key());
        let id = Uuid::now_v7();
        let signer = JwtSigner::new(id, key);

        let token = signer.token();
        assert_eq!(signer.token(), token, "reused while fresh");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "RS256");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["application_id"], id.to_string());
        let iat = claims["iat"].as_u64().unwrap();
        assert_eq!(claims["exp"].as_u64().unwrap(), iat + LIFETIME.as_secs());
        assert!(claims["jti"].is_string());
        let signature =
            Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice()).unwrap();
        verifying
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .expect("the signature verifies with the public key");
        assert!(format!("{signer:?}").contains("redacted"));
    }

    #[test]
    fn a_private_key_that_is_not_one_is_refused_without_quoting_it() {
        let problem = private_key("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n").unwrap_err();
        assert!(!problem.contains("c2VjcmV0"), "{problem}");
    }
}
