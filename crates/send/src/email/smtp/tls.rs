//! TLS for SMTP: which certificates are trusted, and the handshake on our
//! own socket, before the greeting (implicit TLS, port 465) or after the
//! server's 220 to STARTTLS (RFC 3207).

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// Whose certificates the client trusts.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Trust {
    /// The operating system's trust store (what a real server needs).
    #[default]
    System,
    /// Only these certificates (DER) as roots: a server with a private CA,
    /// or a test server's self-signed certificate.
    Only(Vec<Vec<u8>>),
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trust::System => f.write_str("System"),
            Trust::Only(roots) => write!(f, "Only({} certificates)", roots.len()),
        }
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Trust {
    /// The rustls configuration for both kinds of TLS.
    fn client_config(&self) -> Result<ClientConfig, String> {
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?;
        let config = match self {
            Trust::System => builder
                .with_platform_verifier()
                .map_err(|e| format!("the system's trusted certificates could not be loaded: {e}"))?
                .with_no_client_auth(),
            Trust::Only(roots) => {
                let mut store = RootCertStore::empty();
                for der in roots {
                    store
                        .add(CertificateDer::from(der.clone()))
                        .map_err(|e| format!("a trusted certificate is unreadable: {e}"))?;
                }
                builder.with_root_certificates(store).with_no_client_auth()
            }
        };
        Ok(config)
    }
}

/// Wraps `tcp` in TLS, checking the certificate against `host` and `trust`.
pub(crate) async fn handshake(
    tcp: TcpStream,
    host: &str,
    trust: &Trust,
) -> Result<TlsStream<TcpStream>, String> {
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| format!("\"{host}\" cannot be checked against a certificate: {e}"))?;
    let connector = TlsConnector::from(Arc::new(trust.client_config()?));
    let stream = connector
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS handshake with {host} failed: {e}"))?;
    Ok(stream)
}
