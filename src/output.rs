//! Reports in S3: `--output s3://bucket/prefix/key` writes the report as one object
//! (where the shards of a fleet run can all put theirs), and `merge` reads every
//! `.json` object under an `s3://bucket/prefix/`.
//!
//! The S3 calls run on a runtime of their own, on a thread of their own, so the
//! (synchronous) report writer can use them from inside an audit's runtime as well
//! as from a command without one.

use crate::aws::classify;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// An object (`key`) or a prefix (`key` may then be empty) in a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    pub key: String,
}

impl std::fmt::Display for S3Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// `None` when `text` is not an `s3://` URL; else the bucket and key, or what is
/// wrong with them (bucket naming rules: 3 to 63 lowercase letters, digits, dots
/// and hyphens, beginning and ending with a letter or digit).
pub fn parse_s3(text: &str) -> Option<Result<S3Url, String>> {
    let rest = text.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid_bucket {
        return Some(Err(format!("{text}: `{bucket}` is not a valid S3 bucket name")));
    }
    Some(Ok(S3Url { bucket: bucket.to_string(), key: key.to_string() }))
}

/// `--output`'s value: a file path, or an `s3://` URL checked before any work (a
/// valid bucket name and an object key, not a prefix).
pub fn report_destination(text: &str) -> Result<std::path::PathBuf, String> {
    if let Some(url) = parse_s3(text) {
        let url = url?;
        if url.key.is_empty() || url.key.ends_with('/') {
            return Err(format!(
                "{url}: the report needs an object key after the bucket, like s3://bucket/prefix/report.json"
            ));
        }
    }
    Ok(std::path::PathBuf::from(text))
}

/// Runs `f` to completion on a fresh single-thread runtime on a scoped thread:
/// usable whether or not the caller is inside a runtime.
pub fn block_on<F: std::future::Future + Send>(f: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => Ok(rt.block_on(f)),
            Err(e) => Err(e),
        })
        .join()
    })
    .unwrap_or_else(|p| std::panic::resume_unwind(p))
    .unwrap_or_else(|e| panic!("cannot start a runtime for the S3 transfer: {e}"))
}

/// An S3 client for the transfer, built as the collectors' are (path-style against
/// an emulator, every call in the call log), in `region` or the configuration's.
/// It shares the run's HTTP client: a connection the audit pooled is driven by the
/// audit runtime's worker threads, which keep running while [`block_on`] waits,
/// and the transfer is the last use of the configuration in a run.
fn client(sdk: &SdkConfig, region: Option<&str>) -> aws_sdk_s3::Client {
    let ctx = crate::aws::Ctx::new(sdk.clone(), &crate::aws::Settings::default(), false);
    let region = region
        .map(str::to_string)
        .or_else(|| sdk.region().map(|r| r.to_string()))
        .unwrap_or_else(|| ctx.global_region().to_string());
    ctx.s3(&region)
}

/// The region S3 names when a bucket was addressed in the wrong one (the
/// `x-amz-bucket-region` header of its redirect or error).
fn bucket_region<E>(err: &SdkError<E, HttpResponse>) -> Option<String> {
    match err {
        SdkError::ServiceError(e) => e.raw().headers().get("x-amz-bucket-region").map(str::to_string),
        _ => None,
    }
}

fn describe<E>(what: &str, url: &S3Url, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (_, code, message) = classify(err);
    format!("s3:{what} {url} failed: {code}: {message}")
}

/// Writes `body` as the object `url` (content type JSON when the key ends in
/// `.json`). A bucket in another region than the configured one is retried once
/// in the region S3 names.
pub async fn put(sdk: &SdkConfig, url: &S3Url, body: Vec<u8>) -> Result<(), String> {
    if url.key.is_empty() || url.key.ends_with('/') {
        return Err(format!(
            "{url}: the report needs an object key after the bucket, like s3://bucket/prefix/report.json"
        ));
    }
    let content_type = if url.key.ends_with(".json") { "application/json" } else { "text/plain; charset=utf-8" };
    let send = |region: Option<String>| {
        let s3 = client(sdk, region.as_deref());
        let body = body.clone();
        async move {
            s3.put_object()
                .bucket(&url.bucket)
                .key(&url.key)
                .content_type(content_type)
                .body(aws_sdk_s3::primitives::ByteStream::from(body))
                .send()
                .await
        }
    };
    match send(None).await {
        Ok(_) => Ok(()),
        Err(e) => match bucket_region(&e) {
            Some(region) => send(Some(region)).await.map(|_| ()).map_err(|e| describe("PutObject", url, &e)),
            None => Err(describe("PutObject", url, &e)),
        },
    }
}

/// The keys of every `.json` object under the prefix `url`, every page of
/// `ListObjectsV2`, in key order, with the region they were listed in.
pub async fn list_json(sdk: &SdkConfig, url: &S3Url) -> Result<(Vec<String>, Option<String>), String> {
    let list = |region: Option<String>| {
        let s3 = client(sdk, region.as_deref());
        async move {
            let mut pages = s3.list_objects_v2().bucket(&url.bucket).prefix(&url.key).into_paginator().send();
            let mut keys = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page?;
                keys.extend(page.contents().iter().filter_map(|o| o.key()).map(str::to_string));
            }
            Ok::<_, SdkError<_, HttpResponse>>(keys)
        }
    };
    let (mut keys, region) = match list(None).await {
        Ok(k) => (k, None),
        Err(e) => match bucket_region(&e) {
            Some(region) => {
                (list(Some(region.clone())).await.map_err(|e| describe("ListObjectsV2", url, &e))?, Some(region))
            }
            None => return Err(describe("ListObjectsV2", url, &e)),
        },
    };
    keys.retain(|k| k.ends_with(".json"));
    keys.sort();
    Ok((keys, region))
}

/// The bytes of one object.
pub async fn get(sdk: &SdkConfig, url: &S3Url, region: Option<&str>) -> Result<Vec<u8>, String> {
    let s3 = client(sdk, region);
    let out =
        s3.get_object().bucket(&url.bucket).key(&url.key).send().await.map_err(|e| describe("GetObject", url, &e))?;
    let data = out.body.collect().await.map_err(|e| format!("s3:GetObject {url}: reading the body failed: {e}"))?;
    Ok(data.into_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_s3_urls() {
        let cases: &[(&str, Option<Result<S3Url, String>>)] = &[
            ("report.json", None),
            ("./s3/x.json", None),
            (
                "s3://my-bucket/fleet/2026/shard-0.json",
                Some(Ok(S3Url { bucket: "my-bucket".into(), key: "fleet/2026/shard-0.json".into() })),
            ),
            ("s3://my-bucket", Some(Ok(S3Url { bucket: "my-bucket".into(), key: String::new() }))),
            ("s3://my.bucket.1/", Some(Ok(S3Url { bucket: "my.bucket.1".into(), key: String::new() }))),
            ("s3://My_Bucket/x", Some(Err("s3://My_Bucket/x: `My_Bucket` is not a valid S3 bucket name".into()))),
            ("s3:///x", Some(Err("s3:///x: `` is not a valid S3 bucket name".into()))),
            ("s3://ab/x", Some(Err("s3://ab/x: `ab` is not a valid S3 bucket name".into()))),
            ("s3://-bucket/x", Some(Err("s3://-bucket/x: `-bucket` is not a valid S3 bucket name".into()))),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse_s3(text), expected, "{text}");
        }
    }

    #[test]
    fn output_s3_url_checked_before_the_audit() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = ["driftwatch", "audit", "-p", "/nonexistent.toml", "--output", "s3://reports/fleet/"];
        assert_eq!(crate::cli::run(args, &mut out, &mut err), crate::cli::Exit::Invalid);
        let err = String::from_utf8_lossy(&err);
        assert!(
            err.starts_with(
                "error: invalid value 's3://reports/fleet/' for '--output <FILE>': s3://reports/fleet/: the report \
                 needs an object key after the bucket, like s3://bucket/prefix/report.json"
            ),
            "{err}"
        );
        assert_eq!(
            report_destination("s3://Bad_Bucket/r.json"),
            Err("s3://Bad_Bucket/r.json: `Bad_Bucket` is not a valid S3 bucket name".into())
        );
        assert_eq!(report_destination("out/report.json"), Ok("out/report.json".into()));
        assert_eq!(report_destination("s3://reports/fleet/r.json"), Ok("s3://reports/fleet/r.json".into()));
    }

    /// ListObjectsV2 answers as the S3 API reference shows them (ListBucketResult,
    /// IsTruncated and NextContinuationToken between pages).
    fn listing(uri: &str, fail_second: bool) -> (u16, String) {
        let page = |keys: &[&str], next: Option<&str>| {
            let contents: String =
                keys.iter().map(|k| format!("<Contents><Key>{k}</Key><Size>2</Size></Contents>")).collect();
            let more = match next {
                Some(t) => format!("<IsTruncated>true</IsTruncated><NextContinuationToken>{t}</NextContinuationToken>"),
                None => "<IsTruncated>false</IsTruncated>".to_string(),
            };
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <Name>reports</Name><Prefix>runs/</Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys>{more}{contents}</ListBucketResult>",
                keys.len()
            )
        };
        if !uri.contains("continuation-token=") {
            (200, page(&["runs/notes.txt", "runs/shard-1.json"], Some("page-2")))
        } else if fail_second {
            (503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>".into())
        } else {
            (200, page(&["runs/shard-0.json"], None))
        }
    }

    #[test]
    fn list_json_reads_every_page() {
        let ctx = crate::collect::fake::ctx(|uri, _| listing(uri, false));
        let url = S3Url { bucket: "reports".into(), key: "runs/".into() };
        let listed = block_on(list_json(&ctx.sdk, &url));
        assert_eq!(listed, Ok((vec!["runs/shard-0.json".to_string(), "runs/shard-1.json".to_string()], None)));

        let ctx = crate::collect::fake::ctx(|uri, _| listing(uri, true));
        assert_eq!(
            block_on(list_json(&ctx.sdk, &url)),
            Err("s3:ListObjectsV2 s3://reports/runs/ failed: SlowDown: Please reduce your request rate.".into())
        );
    }

    #[test]
    fn put_needs_an_object_key() {
        let sdk = SdkConfig::builder().behavior_version(aws_config::BehaviorVersion::latest()).build();
        let url = S3Url { bucket: "reports".into(), key: "fleet/".into() };
        assert_eq!(
            block_on(put(&sdk, &url, b"{}".to_vec())),
            Err("s3://reports/fleet/: the report needs an object key after the bucket, like s3://bucket/prefix/report.json"
                .into())
        );
    }
}
