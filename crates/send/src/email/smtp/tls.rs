//! TLS for SMTP: which certificates are trusted, and implicit TLS (port 465)
//! on our own socket. STARTTLS goes through lettre with the same trust.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lettre::transport::smtp::client::{
    AsyncTokioStream, Certificate, CertificateStore, TlsParameters,
};
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
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
    /// The rustls configuration for implicit TLS.
    pub(crate) fn client_config(&self) -> Result<ClientConfig, String> {
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

    /// lettre's parameters for STARTTLS, with the same trust.
    pub(crate) fn starttls_parameters(&self, host: &str) -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(host.to_owned());
        if let Trust::Only(roots) = self {
            builder = builder.certificate_store(CertificateStore::None);
            for der in roots {
                let cert = Certificate::from_der(der.clone())
                    .map_err(|e| format!("a trusted certificate is unreadable: {e}"))?;
                builder = builder.add_root_certificate(cert);
            }
        }
        builder
            .build_rustls()
            .map_err(|e| format!("TLS setup: {e}"))
    }
}

/// Wraps `tcp` in TLS before the server's greeting (implicit TLS).
pub(crate) async fn implicit(
    tcp: TcpStream,
    host: &str,
    trust: &Trust,
) -> Result<TlsSocket, String> {
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| format!("\"{host}\" cannot be checked against a certificate: {e}"))?;
    let connector = TlsConnector::from(Arc::new(trust.client_config()?));
    let stream = connector
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS handshake with {host} failed: {e}"))?;
    Ok(TlsSocket(stream))
}

/// A TLS stream lettre can drive (its stream trait wants `peer_addr` and `Debug`).
pub(crate) struct TlsSocket(TlsStream<TcpStream>);

impl fmt::Debug for TlsSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsSocket")
    }
}

impl AsyncTokioStream for TlsSocket {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for TlsSocket {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsSocket {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
