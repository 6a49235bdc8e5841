//! Finds or starts the LocalStack emulator the integration tests run against.
//!
//! The endpoint is `AWS_ENDPOINT_URL` when set, else `http://127.0.0.1:4566`. When
//! nothing healthy answers there, the emulator is started through the repository's
//! own `localstack/start` script (which installs it first on a fresh machine, and
//! serialises racing callers with a lock file). If it cannot be started, every test
//! that needs it fails with the script's reason: tests never skip.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The emulator's base URL, without a trailing slash.
pub fn endpoint_url() -> String {
    std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "http://127.0.0.1:4566".to_string())
        .trim_end_matches('/')
        .to_string()
}

fn host_port(url: &str) -> (String, u16) {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().unwrap_or(80)),
        None => (authority.to_string(), 80),
    }
}

fn resolve(host: &str, port: u16) -> Option<SocketAddr> {
    (host, port).to_socket_addrs().ok()?.next()
}

/// True when `GET /_localstack/health` answers 200 at the endpoint.
pub fn is_healthy(url: &str) -> bool {
    let (host, port) = host_port(url);
    let Some(addr) = resolve(&host, port) else { return false };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /_localstack/health HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < head.len() {
        match stream.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let head = String::from_utf8_lossy(&head[..got]);
    head.starts_with("HTTP/1.") && head[8..].trim_start().starts_with("200")
}

fn start(url: &str) -> Result<(), String> {
    let (host, port) = host_port(url);
    if !matches!(host.as_str(), "127.0.0.1" | "localhost") {
        return Err(format!("no LocalStack answers at {url}, and the tests only start one on 127.0.0.1"));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/localstack/start");
    let out = Command::new(script)
        .env("LOCALSTACK_PORT", port.to_string())
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("could not run {script}: {e}"))?;
    if out.status.success() && is_healthy(url) {
        return Ok(());
    }
    Err(format!(
        "{script} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// Makes sure an emulator answers at [`endpoint_url`], starting one if needed, once
/// per test process. Panics with the reason when that is impossible.
pub fn ensure() -> String {
    static STARTED: OnceLock<Result<String, String>> = OnceLock::new();
    let result = STARTED.get_or_init(|| {
        let url = endpoint_url();
        if is_healthy(&url) {
            return Ok(url);
        }
        start(&url).map(|()| url)
    });
    match result {
        Ok(url) => url.clone(),
        Err(reason) => panic!("LocalStack is not available, so this test cannot run:\n{reason}"),
    }
}
