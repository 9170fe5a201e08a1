//! The server on a real socket on port 0: keep-alive, header timeouts,
//! graceful shutdown that finishes what is in flight.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::helpers::*;

async fn start(
    change: impl FnOnce(&mut herald_relay::config::Settings),
) -> (herald_relay::Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().join("relay.sqlite3").to_str().unwrap());
    change(&mut settings);
    (herald_relay::start(settings).await.unwrap(), dir)
}

/// Reads one response with a Content-Length body off `stream`.
pub async fn read_response(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test]
async fn requests_share_a_keep_alive_connection_and_are_stored() {
    let (relay, _dir) = start(|_| {}).await;
    let mut stream = TcpStream::connect(relay.addr()).await.unwrap();
    for _ in 0..3 {
        let request = format!(
            "GET /o/{} HTTP/1.1\r\nHost: relay\r\nUser-Agent: test\r\n\r\n",
            open_token(Uuid::now_v7())
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let response = read_response(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("image/gif"));
    }
    let events = relay.store().events(0, 10).await.unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].event.event.ip.as_deref(), Some("127.0.0.1"));
    relay.stop().await;
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let (relay, _dir) = start(|s| s.limits.header_timeout = Duration::from_millis(300)).await;
    let mut stream = TcpStream::connect(relay.addr()).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: rel")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
    // The server closed the connection (possibly after a 408) well before 10 s.
    assert!(read.is_ok(), "the connection stayed open");
    relay.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_a_request_in_flight_and_refuses_new_connections() {
    let (relay, dir) = start(|_| {}).await;
    let addr = relay.addr();
    let token = unsubscribe_token(Uuid::now_v7());
    let body = "List-Unsubscribe=One-Click";
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /u/{token} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Headers are in; the body is not. Now shut down.
    let stopping = tokio::spawn(relay.stop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !stopping.is_finished(),
        "shutdown did not wait for the request"
    );
    stream.write_all(body.as_bytes()).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
    // The unsubscribe is on disk.
    let db = dir.path().join("relay.sqlite3");
    let store = herald_relay::store::Store::open(db.to_str().unwrap(), Default::default())
        .await
        .unwrap();
    assert_eq!(store.events(0, 10).await.unwrap().len(), 1);
    store.shutdown().await;
}
