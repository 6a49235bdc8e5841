//! The Lambda collector over recorded answers (REST-JSON protocol, routed on the
//! URI). Bodies follow the Lambda API reference: ListFunctions
//! (`GET /2015-03-31/functions`) answers `Functions[]` of FunctionConfiguration
//! (FunctionName, FunctionArn, Runtime, KMSKeyArn, Environment.Variables) and a
//! `NextMarker` while more remain, the next request carrying `Marker`; a
//! container-image function has no Runtime, a function without a customer key no
//! KMSKeyArn, one without variables no Environment. ListTags
//! (`GET /2017-03-31/tags/{ARN}`) answers `{"Tags": {key: value}}`; a deleted
//! function is ResourceNotFoundException (404). AWS names the error in the
//! `X-Amzn-ErrorType` header; the fake endpoint sets no headers, so the code
//! travels in the body's `__type`, which REST-JSON clients read the same way.

use super::*;
use crate::collect::fake::recording_ctx;
use crate::inventory::{ErrorClass, Tags};

const ACCOUNT: &str = "111122223333";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}")
}

fn need(tags: bool) -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), tags, ..Regional::default() }
}

/// A zip function with every field the collector reads.
fn full(name: &str) -> serde_json::Value {
    serde_json::json!({
        "FunctionName": name, "FunctionArn": arn(name), "Runtime": "python3.12",
        "Role": format!("arn:aws:iam::{ACCOUNT}:role/lambda"), "Handler": "app.handler",
        "CodeSize": 1024, "Timeout": 3, "MemorySize": 128, "PackageType": "Zip",
        "KMSKeyArn": KEY, "Environment": {"Variables": {"STAGE": "prod"}},
        "Architectures": ["x86_64"]
    })
}

/// A container-image function without a customer key or variables: AWS omits
/// Runtime, KMSKeyArn and Environment.
fn bare(name: &str) -> serde_json::Value {
    serde_json::json!({
        "FunctionName": name, "FunctionArn": arn(name), "PackageType": "Image",
        "Role": format!("arn:aws:iam::{ACCOUNT}:role/lambda"), "CodeSize": 0, "MemorySize": 128
    })
}

fn page(functions: Vec<serde_json::Value>, next: Option<&str>) -> String {
    match next {
        Some(m) => serde_json::json!({"Functions": functions, "NextMarker": m}),
        None => serde_json::json!({"Functions": functions}),
    }
    .to_string()
}

fn error(status: u16, code: &str) -> (u16, String) {
    (status, serde_json::json!({"__type": code, "Type": "User", "Message": format!("{code} here")}).to_string())
}

/// The ARN a ListTags request names, decoded from its path.
fn tagged_arn(uri: &str) -> Option<String> {
    let rest = uri.split("/2017-03-31/tags/").nth(1)?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(path.replace("%3A", ":").replace("%3a", ":"))
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn functions_every_field_parsed_and_second_page_read() {
    let (ctx, seen) = recording_ctx(|r| match &r.uri {
        u if u.contains("/2015-03-31/functions") && u.contains("Marker=page-2") => {
            (200, page(vec![bare("image-fn")], None))
        }
        u if u.contains("/2015-03-31/functions") => (200, page(vec![full("api")], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let functions = got["us-east-1"].known().expect("both pages were read");
    assert_eq!(
        functions,
        &vec![
            Function {
                name: "api".into(),
                arn: arn("api"),
                region: "us-east-1".into(),
                runtime: Some("python3.12".into()),
                kms_key: Some(KEY.into()),
                has_environment: true,
                tags: Observed::default(),
            },
            // absent Runtime and KMSKeyArn stay None; no Environment: no variables
            Function {
                name: "image-fn".into(),
                arn: arn("image-fn"),
                region: "us-east-1".into(),
                runtime: None,
                kms_key: None,
                has_environment: false,
                tags: Observed::default(),
            },
        ]
    );
    assert_eq!(seen.lock().unwrap().len(), 2, "both pages, nothing else");
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn function_with_empty_variables_has_no_environment() {
    let (ctx, _) = recording_ctx(|r| match &r.uri {
        u if u.contains("/2015-03-31/functions") => {
            let mut f = full("api");
            f["Environment"] = serde_json::json!({"Variables": {}});
            (200, page(vec![f], None))
        }
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let functions = got["us-east-1"].known().expect("the listing was read");
    let seen: Vec<(&str, bool)> = functions.iter().map(|f| (f.name.as_str(), f.has_environment)).collect();
    assert_eq!(seen, [("api", false)]);
}

#[tokio::test]
async fn functions_failed_second_page_fails_the_listing() {
    let (ctx, _) = recording_ctx(|r| match &r.uri {
        u if u.contains("Marker=page-2") => error(429, "TooManyRequestsException"),
        u if u.contains("/2015-03-31/functions") => (200, page(vec![full("api")], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.region.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("lambda", "us-east-1", "ListFunctions", "TooManyRequestsException", ErrorClass::Throttled)
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListFunctions".to_string(), "TooManyRequestsException".to_string())]);
}

#[tokio::test]
async fn function_tags_gone_function_dropped_denied_one_unknown() {
    let (ctx, _) = recording_ctx(|r| match tagged_arn(&r.uri) {
        None if r.uri.contains("/2015-03-31/functions") => {
            (200, page(vec![full("tagged"), bare("untagged"), full("gone"), full("locked")], None))
        }
        Some(a) if a == arn("tagged") => (200, r#"{"Tags": {"team": "api", "env": "prod"}}"#.into()),
        // no tags: AWS answers an empty map (or leaves Tags out)
        Some(a) if a == arn("untagged") => (200, "{}".into()),
        Some(a) if a == arn("gone") => error(404, "ResourceNotFoundException"),
        Some(a) if a == arn("locked") => error(403, "AccessDeniedException"),
        _ => panic!("unexpected call {}", r.uri),
    });
    let got = collect(&ctx, &need(true)).await;
    let functions = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["tagged", "untagged", "locked"]);
    assert_eq!(functions[0].tags, Observed::Known(tags(&[("env", "prod"), ("team", "api")])));
    assert_eq!(functions[1].tags, Observed::Known(Tags::new()));
    let gap = functions[2].tags.gap().expect("the denied function's tags are unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.clone()),
        ("ListTags", "AccessDeniedException", ErrorClass::AccessDenied, Some(arn("locked")))
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListTags".to_string(), "AccessDeniedException".to_string())]);
}
