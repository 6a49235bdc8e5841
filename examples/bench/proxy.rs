//! A counting HTTP/1.1 proxy: every request a tool makes to the emulator passes
//! through it and is counted (in total and by service, read from the SigV4
//! credential scope). Connections are kept alive, as a real endpoint keeps them, so
//! counting costs the tools almost nothing.
//!
//! It can also record every answer and later replay it: in replay mode a request
//! seen before (same method, target, credential scope, `X-Amz-Target` and body) is
//! answered from the record, after the added delay, without reaching the emulator.
//! The emulator is one Python process on the benchmark's two cores and serves a
//! few hundred requests a second; a real endpoint serves each account far more.
//! Replaying shows what the tool itself does with a round trip like a real
//! endpoint's when the emulator's throughput is no longer the floor.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
pub struct Counts {
    pub total: usize,
    pub by_service: BTreeMap<String, usize>,
    /// In replay mode: requests that were not in the record (passed on instead).
    pub missed: usize,
    /// The first few of those: request line, credential scope and target.
    pub missed_examples: Vec<String>,
}

/// What the proxy does with the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// Passes requests on and forgets the answers.
    Pass = 0,
    /// Passes requests on and keeps every answer (the last one for a repeated request).
    Record = 1,
    /// Answers from the record; a request not in it is passed on and counted as missed.
    Replay = 2,
}

/// Everything the connections share.
struct State {
    upstream: String,
    counts: Mutex<Counts>,
    delay_ms: AtomicU64,
    mode: AtomicU8,
    answers: Mutex<HashMap<Vec<u8>, Arc<Vec<u8>>>>,
}

pub struct Proxy {
    pub url: String,
    /// `delay_ms` is added before each request is answered: a network round trip,
    /// which the emulator on the same machine does not have.
    state: Arc<State>,
}

impl Proxy {
    /// Starts the proxy on 127.0.0.1 (a free port) in front of `upstream` (host:port).
    pub async fn start(upstream: &str) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(State {
            upstream: upstream.to_string(),
            counts: Mutex::new(Counts::default()),
            delay_ms: AtomicU64::new(0),
            mode: AtomicU8::new(Mode::Pass as u8),
            answers: Mutex::new(HashMap::new()),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = relay(client, &state).await;
                });
            }
        });
        Ok(Proxy { url, state })
    }

    /// Sets the delay added to every request from now on.
    pub fn set_delay(&self, delay: Duration) {
        self.state.delay_ms.store(delay.as_millis() as u64, Ordering::Relaxed);
    }

    /// Sets what happens to the answers from now on.
    pub fn set_mode(&self, mode: Mode) {
        self.state.mode.store(mode as u8, Ordering::Relaxed);
    }

    /// The counts since the last call, and a fresh start.
    pub fn take(&self) -> Counts {
        std::mem::take(&mut *self.state.counts.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

fn mode(state: &State) -> Mode {
    match state.mode.load(Ordering::Relaxed) {
        1 => Mode::Record,
        2 => Mode::Replay,
        _ => Mode::Pass,
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
    /// `AKID/REGION/SERVICE` of the SigV4 credential (the date left out).
    scope: String,
    /// The `X-Amz-Target` header (JSON protocols name the operation there).
    target: String,
}

impl Head {
    /// What identifies a request for replay: the same call by the same
    /// credentials in the same region, with the same body.
    fn key(&self, body: &[u8]) -> Vec<u8> {
        let mut k = Vec::with_capacity(self.start.len() + self.scope.len() + self.target.len() + body.len() + 3);
        for part in [self.start.as_bytes(), self.scope.as_bytes(), self.target.as_bytes(), body] {
            k.extend_from_slice(part);
            k.push(0);
        }
        k
    }
}

async fn read_head<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Option<Head>> {
    let mut raw = Vec::new();
    let mut length = None;
    let (mut chunked, mut close) = (false, false);
    let mut start = String::new();
    let mut service = None;
    let (mut scope, mut target) = (String::new(), String::new());
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
                let credential = value.split("Credential=").nth(1).unwrap_or("");
                let parts: Vec<&str> = credential.split(',').next().unwrap_or("").split('/').collect();
                service = parts.get(3).map(|s| s.to_string());
                if let [akid, _date, region, svc, ..] = parts[..] {
                    scope = format!("{akid}/{region}/{svc}");
                }
            }
            "x-amz-target" => target = value.to_string(),
            _ => {}
        }
    }
    Ok(Some(Head { raw, length, chunked, close, start, service, scope, target }))
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

/// The connection to the emulator, opened when a request first needs it.
type Upstream = (BufReader<tokio::net::tcp::OwnedReadHalf>, tokio::net::tcp::OwnedWriteHalf);

async fn relay(client: TcpStream, state: &State) -> std::io::Result<()> {
    client.set_nodelay(true)?;
    let (cr, mut cw) = client.into_split();
    let mut cr = BufReader::new(cr);
    let mut up: Option<Upstream> = None;
    while let Some(req) = read_head(&mut cr).await? {
        let mut body = Vec::new();
        copy_body(&mut cr, &mut body, &req, false).await?;
        let mode = mode(state);
        let key = req.key(&body);
        let recorded = if mode == Mode::Replay {
            state.answers.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned()
        } else {
            None
        };
        {
            let mut c = state.counts.lock().unwrap_or_else(|e| e.into_inner());
            c.total += 1;
            *c.by_service.entry(req.service.clone().unwrap_or_else(|| "unsigned".into())).or_default() += 1;
            if mode == Mode::Replay && recorded.is_none() {
                c.missed += 1;
                if c.missed_examples.len() < 5 {
                    c.missed_examples.push(format!("{} {} {}", req.start, req.scope, req.target));
                }
            }
        }
        let wait = state.delay_ms.load(Ordering::Relaxed);
        if wait > 0 {
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
        if let Some(answer) = recorded {
            cw.write_all(&answer).await?;
            cw.flush().await?;
            if req.close {
                break;
            }
            continue;
        }
        if up.is_none() {
            let stream = TcpStream::connect(&state.upstream).await?;
            stream.set_nodelay(true)?;
            let (ur, uw) = stream.into_split();
            up = Some((BufReader::new(ur), uw));
        }
        let Some((ur, uw)) = up.as_mut() else { return Ok(()) };
        uw.write_all(&req.raw).await?;
        uw.write_all(&body).await?;
        uw.flush().await?;
        let Some(resp) = read_head(ur).await? else { return Ok(()) };
        let mut answer = resp.raw.clone();
        let status: u16 = resp.start.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let bodiless = req.start.starts_with("HEAD ") || status == 204 || status == 304 || (100..200).contains(&status);
        if !bodiless {
            copy_body(ur, &mut answer, &resp, true).await?;
        }
        cw.write_all(&answer).await?;
        cw.flush().await?;
        if mode == Mode::Record && !resp.close {
            state.answers.lock().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(answer));
        }
        if req.close || resp.close {
            break;
        }
    }
    Ok(())
}
