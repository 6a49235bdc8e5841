//! A fault-injecting HTTP proxy for the tests: it sits between driftwatch and
//! LocalStack on 127.0.0.1 and, by rule (service, operation, bucket, probability,
//! count), answers with throttling, server errors, access denied (with the error
//! body of the service's protocol), a reset connection, a hung response, a
//! truncated or malformed body, or a fabricated next page whose fetch fails.
//!
//! It runs on its own thread and runtime, so a test may block on the driftwatch
//! process while the proxy serves it. Every response carries `Connection: close`.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The marker a fabricated page token carries.
pub const FAKE_TOKEN: &str = "dw-fault-page2";

#[derive(Debug, Clone)]
pub enum Fault {
    /// Forward untouched (a rule that shields matching requests from later rules).
    Pass,
    /// The protocol's throttling error (S3 SlowDown 503, EC2 RequestLimitExceeded
    /// 503, query `Throttling` 400, JSON/CBOR `ThrottlingException` 400).
    Throttle,
    /// A bare HTTP 429 with no error code.
    TooManyRequests,
    /// HTTP status with the protocol's `InternalError`/`ServiceUnavailable` body.
    Status(u16),
    /// 403 with the protocol's AccessDenied body.
    AccessDenied,
    /// The connection is reset without an answer.
    Reset,
    /// The answer comes after this long.
    Hang(Duration),
    /// The answer's body is cut in half (Content-Length kept).
    Truncate,
    /// A 200 whose body is not what the protocol promises.
    Malformed,
    /// The real answer, rewritten to announce a next page (token `FAKE_TOKEN`)
    /// in the field the operation's API reference names (`token_field`): a JSON
    /// or CBOR member, a query or EC2 result element, a REST-XML IsTruncated
    /// with its marker. The follow-up request carries the token, so a rule
    /// `When::Contains(FAKE_TOKEN)` placed first can fail it.
    FakeNextPage,
}

#[derive(Debug, Clone)]
pub enum When {
    Always,
    /// With this probability. The draw is a hash of the proxy's seed and the
    /// request's identity (service, operation, method, URI, body and the SDK's
    /// attempt number), so one request gets the same answer in every run,
    /// whatever order concurrent requests arrive in; a retry is a new attempt
    /// and draws again.
    Chance(f64),
    /// The first n matching requests.
    FirstN(usize),
    /// Every matching request after the first n of all requests.
    AfterN(usize),
    /// Requests whose URI or body contains the text.
    Contains(String),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub bucket: Option<String>,
    pub when: When,
    pub fault: Fault,
}

impl Rule {
    pub fn new(fault: Fault, when: When) -> Self {
        Rule { service: None, operation: None, bucket: None, when, fault }
    }
    pub fn service(mut self, s: &str) -> Self {
        self.service = Some(s.into());
        self
    }
    pub fn operation(mut self, o: &str) -> Self {
        self.operation = Some(o.into());
        self
    }
    pub fn bucket(mut self, b: &str) -> Self {
        self.bucket = Some(b.into());
        self
    }
}

/// What the proxy saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub service: String,
    pub operation: String,
    pub uri: String,
    pub faulted: Option<String>,
}

struct State {
    rules: Vec<(Rule, usize)>,
    seed: u64,
    total: usize,
    seen: Vec<Seen>,
}

pub struct FaultProxy {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (e.g. http://127.0.0.1:4566) with these rules.
    pub fn start(upstream: &str, rules: Vec<Rule>, seed: u64) -> FaultProxy {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let state = Arc::new(Mutex::new(State {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
            seed,
            total: 0,
            seen: Vec::new(),
        }));
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap().port()).unwrap();
                loop {
                    let Ok((client, _)) = listener.accept().await else { continue };
                    let (state, upstream) = (Arc::clone(&shared), upstream.clone());
                    tokio::spawn(async move {
                        let _ = serve(client, &upstream, &state).await;
                    });
                }
            });
        });
        let port = rx.recv().expect("proxy thread started");
        FaultProxy { url: format!("http://127.0.0.1:{port}"), state }
    }

    /// Requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

struct Request {
    head: String,
    body: Vec<u8>,
    method: String,
    uri: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn read_request(s: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut req = Request { head, body: buf[end + 4..].to_vec(), method: String::new(), uri: String::new() };
    let first: Vec<&str> = req.head.lines().next().unwrap_or("").split(' ').collect();
    req.method = first.first().unwrap_or(&"").to_string();
    req.uri = first.get(1).unwrap_or(&"").to_string();
    let len: usize = req.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while req.body.len() < len {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        req.body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(req))
}

/// (service, operation, bucket) of a signed AWS request.
fn classify(req: &Request) -> (String, String, Option<String>) {
    let service = req
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string();
    if let Some(target) = req.header("x-amz-target") {
        return (service, target.rsplit('.').next().unwrap_or("").to_string(), None);
    }
    if let Some(i) = req.uri.find("/operation/") {
        return (service, req.uri[i + "/operation/".len()..].split('?').next().unwrap_or("").to_string(), None);
    }
    let body = String::from_utf8_lossy(&req.body);
    if let Some(action) = body.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
        return (service, action.to_string(), None);
    }
    let (path, query) = req.uri.split_once('?').unwrap_or((&req.uri, ""));
    if service == "s3" {
        let bucket = path.trim_start_matches('/').split('/').next().filter(|b| !b.is_empty()).map(str::to_string);
        let keys: Vec<&str> = query.split('&').map(|kv| kv.split('=').next().unwrap_or("")).collect();
        let op = [
            ("encryption", "GetBucketEncryption"),
            ("versioning", "GetBucketVersioning"),
            ("publicAccessBlock", "GetPublicAccessBlock"),
            ("logging", "GetBucketLogging"),
            ("replication", "GetBucketReplication"),
            ("tagging", "GetBucketTagging"),
            ("location", "GetBucketLocation"),
            ("acl", "GetBucketAcl"),
            ("policyStatus", "GetBucketPolicyStatus"),
            ("policy", "GetBucketPolicy"),
        ]
        .iter()
        .find(|(k, _)| keys.contains(k))
        .map(|(_, op)| op.to_string())
        .unwrap_or_else(|| {
            if bucket.is_none() && req.method == "GET" {
                "ListBuckets".into()
            } else {
                "Other".into()
            }
        });
        return (service, op, bucket);
    }
    (service.clone(), rest_operation(&service, &req.method, path).into(), None)
}

/// The operation of a REST request (Route 53, CloudFront, Lambda) from its
/// method and path, as the services' API references lay the paths out.
fn rest_operation(service: &str, method: &str, path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (service, method, parts.as_slice()) {
        // GET /2013-04-01/hostedzone and GET /2013-04-01/hostedzone/{Id}/rrset
        ("route53", "GET", [_, "hostedzone"]) => "ListHostedZones",
        ("route53", "GET", [_, "hostedzone", _, "rrset"]) => "ListResourceRecordSets",
        // GET /2020-05-31/distribution, .../distribution/{Id}/config, /2020-05-31/tagging?Resource=
        ("cloudfront", "GET", [_, "distribution"]) => "ListDistributions",
        ("cloudfront", "GET", [_, "distribution", _, "config"]) => "GetDistributionConfig",
        ("cloudfront", "GET", [_, "distribution", _]) => "GetDistribution",
        ("cloudfront", "GET", [_, "tagging"]) => "ListTagsForResource",
        // GET /2015-03-31/functions/ and GET /2017-03-31/tags/{ARN}
        ("lambda", "GET", [_, "functions"]) => "ListFunctions",
        ("lambda", "GET", [_, "tags", ..]) => "ListTags",
        ("lambda", "GET", [_, "functions", _]) => "GetFunction",
        ("lambda", "GET", [_, "functions", _, "configuration"]) => "GetFunctionConfiguration",
        _ => "Other",
    }
}

/// A number in [0, 1) from the seed and what identifies one attempt of one
/// request (not the SDK's random invocation id nor the signature's time). The
/// hash is FNV-1a with a SplitMix64 finish, spelled out here so that the draws do
/// not change with the toolchain's own hasher.
fn draw(seed: u64, service: &str, op: &str, req: &Request) -> f64 {
    let attempt = req.header("amz-sdk-request").and_then(|v| v.split(';').next()).unwrap_or("").trim();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let parts: [&[u8]; 7] = [
        &seed.to_le_bytes(),
        service.as_bytes(),
        op.as_bytes(),
        req.method.as_bytes(),
        req.uri.as_bytes(),
        &req.body,
        attempt.as_bytes(),
    ];
    for part in parts {
        for b in part.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn decide(state: &Mutex<State>, req: &Request, service: &str, op: &str, bucket: Option<&str>) -> Option<Fault> {
    let mut st = state.lock().unwrap();
    st.total += 1;
    let total = st.total;
    let body = String::from_utf8_lossy(&req.body).into_owned();
    let mut chosen = None;
    let State { rules, seed, .. } = &mut *st;
    let seed = *seed;
    for (rule, hits) in rules.iter_mut() {
        if rule.service.as_deref().is_some_and(|s| s != service)
            || rule.operation.as_deref().is_some_and(|o| o != op)
            || rule.bucket.as_deref().is_some_and(|b| Some(b) != bucket)
        {
            continue;
        }
        let fire = match &rule.when {
            When::Always => true,
            When::Chance(p) => draw(seed, service, op, req) < *p,
            When::FirstN(n) => *hits < *n,
            When::AfterN(n) => total > *n,
            When::Contains(text) => req.uri.contains(text.as_str()) || body.contains(text.as_str()),
        };
        if fire {
            *hits += 1;
            chosen = Some(rule.fault.clone());
            break;
        }
    }
    st.seen.push(Seen {
        service: service.into(),
        operation: op.into(),
        uri: req.uri.clone(),
        faulted: chosen.as_ref().map(|f| format!("{f:?}")),
    });
    chosen
}

enum Protocol {
    S3,
    Ec2,
    Query,
    RestXml,
    Cbor,
    Json,
}

fn protocol(service: &str, req: &Request) -> Protocol {
    match service {
        "s3" => Protocol::S3,
        "ec2" => Protocol::Ec2,
        "iam" | "sts" | "autoscaling" | "rds" | "elasticloadbalancing" | "sns" => Protocol::Query,
        "route53" | "cloudfront" => Protocol::RestXml,
        _ if req.uri.contains("/operation/") => Protocol::Cbor,
        _ => Protocol::Json,
    }
}

/// A CBOR map of text keys to text values (all shorter than 65536 bytes).
fn cbor_text_map(pairs: &[(&str, &str)]) -> Vec<u8> {
    fn text(out: &mut Vec<u8>, s: &str) {
        let n = s.len();
        if n < 24 {
            out.push(0x60 | n as u8);
        } else if n < 256 {
            out.extend_from_slice(&[0x78, n as u8]);
        } else {
            out.push(0x79);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        out.extend_from_slice(s.as_bytes());
    }
    let mut out = vec![0xA0 | pairs.len() as u8];
    for (k, v) in pairs {
        text(&mut out, k);
        text(&mut out, v);
    }
    out
}

fn response(status: u16, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} Fault\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// An error answer in the body format of the request's protocol.
fn error_response(p: &Protocol, status: u16, code: &str) -> Vec<u8> {
    let message = format!("{code} injected by the driftwatch test proxy");
    match p {
        Protocol::S3 => response(status, &[("content-type", "application/xml".into())], format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>dw</RequestId></Error>").as_bytes()),
        Protocol::Ec2 => response(status, &[("content-type", "text/xml".into())], format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>dw</RequestID></Response>").as_bytes()),
        Protocol::Query | Protocol::RestXml => response(status, &[("content-type", "text/xml".into())], format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>dw</RequestId></ErrorResponse>").as_bytes()),
        Protocol::Json => response(status, &[("content-type", "application/x-amz-json-1.1".into()), ("x-amzn-errortype", code.to_string())], format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}").as_bytes()),
        Protocol::Cbor => response(status, &[("content-type", "application/cbor".into()), ("smithy-protocol", "rpc-v2-cbor".into())], &cbor_text_map(&[("__type", code), ("message", &message)])),
    }
}

/// Sends the request upstream (as `Connection: close`) and returns (head, body).
async fn forward(req: &Request, upstream: &str) -> std::io::Result<(String, Vec<u8>)> {
    let mut up = TcpStream::connect(upstream).await?;
    let head: Vec<&str> = req.head.lines().filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    let mut out = format!("{}\r\nconnection: close\r\n\r\n", head.join("\r\n")).into_bytes();
    out.extend_from_slice(&req.body);
    up.write_all(&out).await?;
    let mut raw = Vec::new();
    up.read_to_end(&mut raw).await?;
    let end = find(&raw, b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut body = raw.get(end + 4..).unwrap_or_default().to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Ok((head, body))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = find(data, b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..i]).split(';').next().unwrap_or("0").trim(), 16)
                .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = i + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
    out
}

/// Re-frames an upstream answer with a fresh Content-Length and `Connection: close`.
fn reframe(head: &str, body: &[u8], declared_len: Option<usize>) -> Vec<u8> {
    let mut lines = head.lines();
    let mut out = format!("{}\r\n", lines.next().unwrap_or("HTTP/1.1 502 Bad Gateway"));
    for l in lines {
        let lower = l.to_ascii_lowercase();
        if !(lower.starts_with("content-length:")
            || lower.starts_with("transfer-encoding:")
            || lower.starts_with("connection:"))
        {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", declared_len.unwrap_or(body.len())));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The field a listing's answer names its next page with, per the API
/// references: (field, extra fields the answer must carry for the client to go on).
fn token_field(service: &str, op: &str) -> Option<(&'static str, &'static [(&'static str, &'static str)])> {
    const NONE: &[(&str, &str)] = &[];
    Some(match (service, op) {
        // JSON protocols (the field at the top of the answer's object)
        ("kms", "ListKeys" | "ListAliases" | "ListResourceTags") => ("NextMarker", &[("Truncated", "true")]),
        ("dynamodb", "ListTables") => ("LastEvaluatedTableName", NONE),
        ("wafv2", _) => ("NextMarker", NONE),
        ("logs", _) => ("nextToken", NONE),
        ("lambda", "ListFunctions") => ("NextMarker", NONE),
        ("acm" | "cloudtrail" | "config" | "secretsmanager" | "sqs" | "monitoring" | "dynamodb", _) => {
            ("NextToken", NONE)
        }
        // query protocols (an element of the operation's Result)
        ("autoscaling" | "sns", _) => ("NextToken", NONE),
        ("elasticloadbalancing", _) => ("NextMarker", NONE),
        ("rds", _) => ("Marker", NONE),
        ("iam", _) => ("Marker", &[("IsTruncated", "true")]),
        // EC2 (an element of the operation's Response)
        ("ec2", _) => ("nextToken", NONE),
        // REST-XML
        ("s3", "ListBuckets") => ("ContinuationToken", NONE),
        ("route53", "ListHostedZones") => ("NextMarker", &[("IsTruncated", "true")]),
        ("route53", "ListResourceRecordSets") => {
            ("NextRecordName", &[("IsTruncated", "true"), ("NextRecordType", "A")])
        }
        ("cloudfront", _) => ("NextMarker", &[("IsTruncated", "true")]),
        _ => return None,
    })
}

/// Rewrites a first page so that the client asks for a second one, whose
/// request then carries `FAKE_TOKEN`.
fn announce_next_page(p: &Protocol, service: &str, op: &str, body: &[u8]) -> Vec<u8> {
    let Some((field, extra)) = token_field(service, op) else { return body.to_vec() };
    match p {
        Protocol::Json => {
            let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice::<serde_json::Value>(body) else {
                return body.to_vec();
            };
            for (k, v) in extra {
                map.insert(k.to_string(), serde_json::from_str(v).unwrap_or(serde_json::Value::Null));
            }
            map.insert(field.into(), FAKE_TOKEN.into());
            serde_json::to_vec(&map).unwrap_or_else(|_| body.to_vec())
        }
        Protocol::Cbor => cbor_add_text(body, field, FAKE_TOKEN),
        _ => {
            let text = String::from_utf8_lossy(body);
            // the elements go first in the result (IsTruncated is replaced where present)
            let mut added = String::new();
            let mut text = text.into_owned();
            for (k, v) in extra {
                let (t, f) = (format!("<{k}>true</{k}>"), format!("<{k}>false</{k}>"));
                if text.contains(&f) {
                    text = text.replacen(&f, &t, 1);
                } else if !text.contains(&t) {
                    added.push_str(&format!("<{k}>{v}</{k}>"));
                }
            }
            added.push_str(&format!("<{field}>{FAKE_TOKEN}</{field}>"));
            let close = match p {
                Protocol::Query => format!("</{op}Result>"),
                Protocol::Ec2 => format!("</{op}Response>"),
                Protocol::S3 => "</ListAllMyBucketsResult>".into(),
                _ => match (service, op) {
                    ("route53", "ListHostedZones") => "</ListHostedZonesResponse>".into(),
                    ("route53", _) => "</ListResourceRecordSetsResponse>".into(),
                    _ => "</DistributionList>".into(),
                },
            };
            text.replacen(&close, &format!("{added}{close}"), 1).into_bytes()
        }
    }
}

/// Adds a text entry to a CBOR map (definite or indefinite length).
fn cbor_add_text(body: &[u8], key: &str, value: &str) -> Vec<u8> {
    let pair = cbor_text_map(&[(key, value)]);
    let pair = &pair[1..];
    let Some(&first) = body.first() else { return body.to_vec() };
    let (count, head) = match first {
        0xBF if body.last() == Some(&0xFF) => {
            let mut out = body[..body.len() - 1].to_vec();
            out.extend_from_slice(pair);
            out.push(0xFF);
            return out;
        }
        0xA0..=0xB7 => (u64::from(first - 0xA0), 1),
        0xB8 if body.len() > 1 => (u64::from(body[1]), 2),
        0xB9 if body.len() > 2 => (u64::from(u16::from_be_bytes([body[1], body[2]])), 3),
        _ => return body.to_vec(),
    };
    let n = count + 1;
    let mut out = if n < 24 {
        vec![0xA0 | n as u8]
    } else if n < 256 {
        vec![0xB8, n as u8]
    } else {
        let mut v = vec![0xB9];
        v.extend_from_slice(&(n as u16).to_be_bytes());
        v
    };
    out.extend_from_slice(&body[head..]);
    out.extend_from_slice(pair);
    out
}

async fn serve(mut client: TcpStream, upstream: &str, state: &Mutex<State>) -> std::io::Result<()> {
    let Some(req) = read_request(&mut client).await? else { return Ok(()) };
    let (service, op, bucket) = classify(&req);
    let fault = decide(state, &req, &service, &op, bucket.as_deref());
    let p = protocol(&service, &req);
    let answer = match fault {
        None | Some(Fault::Pass) => {
            let (head, body) = forward(&req, upstream).await?;
            reframe(&head, &body, None)
        }
        Some(Fault::Throttle) => match p {
            Protocol::S3 => error_response(&p, 503, "SlowDown"),
            Protocol::Ec2 => error_response(&p, 503, "RequestLimitExceeded"),
            Protocol::Query | Protocol::RestXml => error_response(&p, 400, "Throttling"),
            _ => error_response(&p, 400, "ThrottlingException"),
        },
        Some(Fault::TooManyRequests) => response(429, &[], b""),
        Some(Fault::Status(code)) => {
            error_response(&p, code, if code == 503 { "ServiceUnavailable" } else { "InternalError" })
        }
        Some(Fault::AccessDenied) => match p {
            Protocol::S3 | Protocol::Query | Protocol::RestXml => error_response(&p, 403, "AccessDenied"),
            Protocol::Ec2 => error_response(&p, 403, "UnauthorizedOperation"),
            _ => error_response(&p, 403, "AccessDeniedException"),
        },
        Some(Fault::Reset) => {
            // a zero linger makes the close a reset; with zero it never blocks the thread
            #[allow(deprecated)]
            client.set_linger(Some(Duration::ZERO))?;
            return Ok(());
        }
        Some(Fault::Hang(d)) => {
            tokio::time::sleep(d).await;
            let (head, body) = forward(&req, upstream).await?;
            reframe(&head, &body, None)
        }
        Some(Fault::Truncate) => {
            let (head, body) = forward(&req, upstream).await?;
            // the head promises the whole body; half of it arrives, then the connection closes
            reframe(&head, &body[..body.len() / 2], Some(body.len()))
        }
        Some(Fault::Malformed) => response(
            200,
            &[("content-type", "application/xml".into())],
            b"<<< this is not what the protocol promised {",
        ),
        Some(Fault::FakeNextPage) => {
            let (head, body) = forward(&req, upstream).await?;
            let body = announce_next_page(&p, &service, &op, &body);
            reframe(&head, &body, None)
        }
    };
    client.write_all(&answer).await?;
    client.shutdown().await
}
