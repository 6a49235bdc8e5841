//! A counting HTTP/1.1 proxy: every request a tool makes to the emulator passes
//! through it and is counted (in total and by service, read from the SigV4
//! credential scope). Connections are kept alive, as a real endpoint keeps them, so
//! counting costs the tools almost nothing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
pub struct Counts {
    pub total: usize,
    pub by_service: BTreeMap<String, usize>,
}

pub struct Proxy {
    pub url: String,
    counts: Arc<Mutex<Counts>>,
    /// Added before each request is forwarded, in milliseconds: a network round
    /// trip, which the emulator on the same machine does not have.
    delay_ms: Arc<AtomicU64>,
}

impl Proxy {
    /// Starts the proxy on 127.0.0.1 (a free port) in front of `upstream` (host:port).
    pub async fn start(upstream: &str) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let counts = Arc::new(Mutex::new(Counts::default()));
        let shared = counts.clone();
        let delay_ms = Arc::new(AtomicU64::new(0));
        let delay = delay_ms.clone();
        let upstream = upstream.to_string();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (upstream, counts, delay) = (upstream.clone(), shared.clone(), delay.clone());
                tokio::spawn(async move {
                    let _ = relay(client, &upstream, &counts, &delay).await;
                });
            }
        });
        Ok(Proxy { url, counts, delay_ms })
    }

    /// Sets the delay added to every request from now on.
    pub fn set_delay(&self, delay: Duration) {
        self.delay_ms.store(delay.as_millis() as u64, Ordering::Relaxed);
    }

    /// The counts since the last call, and a fresh start.
    pub fn take(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

struct Head {
    raw: Vec<u8>,
    length: Option<usize>,
    chunked: bool,
    close: bool,
    /// First line, e.g. `GET / HTTP/1.1` or `HTTP/1.1 200 OK`.
    start: String,
    service: Option<String>,
}

async fn read_head<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Option<Head>> {
    let mut raw = Vec::new();
    let mut length = None;
    let (mut chunked, mut close) = (false, false);
    let mut start = String::new();
    let mut service = None;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        raw.extend_from_slice(&line);
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if start.is_empty() {
            start = text;
            continue;
        }
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else { continue };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse().ok(),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            // Credential=AKID/DATE/REGION/SERVICE/aws4_request
            "authorization" => {
                service = value
                    .split("Credential=")
                    .nth(1)
                    .and_then(|c| c.split('/').nth(3))
                    .map(|s| s.trim_end_matches(',').to_string());
            }
            _ => {}
        }
    }
    Ok(Some(Head { raw, length, chunked, close, start, service }))
}

/// Copies one message body, framed by Content-Length or chunked encoding.
async fn copy_body<R, W>(r: &mut BufReader<R>, w: &mut W, head: &Head, until_eof: bool) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    if head.chunked {
        loop {
            let mut line = Vec::new();
            r.read_until(b'\n', &mut line).await?;
            w.write_all(&line).await?;
            let size = usize::from_str_radix(String::from_utf8_lossy(&line).trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            if size == 0 {
                // trailers, then the empty line
                loop {
                    let mut t = Vec::new();
                    r.read_until(b'\n', &mut t).await?;
                    w.write_all(&t).await?;
                    if t == b"\r\n" || t.is_empty() {
                        return Ok(());
                    }
                }
            }
            let mut chunk = vec![0; size + 2];
            r.read_exact(&mut chunk).await?;
            w.write_all(&chunk).await?;
        }
    } else if let Some(n) = head.length {
        let mut left = n;
        let mut buf = vec![0; 64 * 1024];
        while left > 0 {
            let got = r.read(&mut buf[..left.min(64 * 1024)]).await?;
            if got == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            w.write_all(&buf[..got]).await?;
            left -= got;
        }
        Ok(())
    } else if until_eof {
        tokio::io::copy(r, w).await.map(|_| ())
    } else {
        Ok(())
    }
}

async fn relay(client: TcpStream, upstream: &str, counts: &Mutex<Counts>, delay: &AtomicU64) -> std::io::Result<()> {
    client.set_nodelay(true)?;
    let up = TcpStream::connect(upstream).await?;
    up.set_nodelay(true)?;
    let (cr, mut cw) = client.into_split();
    let (ur, mut uw) = up.into_split();
    let (mut cr, mut ur) = (BufReader::new(cr), BufReader::new(ur));
    while let Some(req) = read_head(&mut cr).await? {
        {
            let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
            c.total += 1;
            *c.by_service.entry(req.service.clone().unwrap_or_else(|| "unsigned".into())).or_default() += 1;
        }
        let wait = delay.load(Ordering::Relaxed);
        if wait > 0 {
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
        uw.write_all(&req.raw).await?;
        copy_body(&mut cr, &mut uw, &req, false).await?;
        uw.flush().await?;
        let Some(resp) = read_head(&mut ur).await? else { return Ok(()) };
        cw.write_all(&resp.raw).await?;
        let status: u16 = resp.start.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let bodiless = req.start.starts_with("HEAD ") || status == 204 || status == 304 || (100..200).contains(&status);
        if !bodiless {
            copy_body(&mut ur, &mut cw, &resp, true).await?;
        }
        cw.flush().await?;
        if req.close || resp.close {
            break;
        }
    }
    Ok(())
}
