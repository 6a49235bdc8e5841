//! The CloudTrail collector over recorded answers. Every body below is written from
//! the CloudTrail API reference (DescribeTrails, GetTrailStatus, GetEventSelectors:
//! EventSelector, AdvancedEventSelector, AdvancedFieldSelector) and the STS one
//! (GetCallerIdentity); errors use the JSON 1.1 `__type` shape.

use super::collect;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::Inventory;
use crate::kinds::tests::{observed, req, statuses};
use std::collections::BTreeSet;

const ME: &str = "111122223333";
const ORG_OWNER: &str = "999988887777";

fn arn(account: &str, name: &str) -> String {
    format!("arn:aws:cloudtrail:us-east-1:{account}:trail/{name}")
}

/// A DescribeTrails entry: multi-region, home us-east-1.
fn trail_json(account: &str, name: &str, org: bool) -> String {
    format!(
        r#"{{"Name":"{name}","S3BucketName":"audit-logs","IncludeGlobalServiceEvents":true,"IsMultiRegionTrail":true,"HomeRegion":"us-east-1","TrailARN":"{}","LogFileValidationEnabled":true,"HasCustomEventSelectors":true,"HasInsightSelectors":false,"IsOrganizationTrail":{org}}}"#,
        arn(account, name)
    )
}

fn error(code: &str) -> (u16, String) {
    (400, format!(r#"{{"__type":"{code}","message":"{code} for this trail"}}"#))
}

const CALLER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLEAUDITOR</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

/// GetEventSelectors answers, by trail name.
fn selectors_of(name: &str) -> (u16, String) {
    let arn = arn(ME, name);
    let classic = |rw: &str, mgmt: bool, exclude: &str| {
        (
            200,
            format!(
                r#"{{"TrailARN":"{arn}","EventSelectors":[{{"ReadWriteType":"{rw}","IncludeManagementEvents":{mgmt},"DataResources":[],"ExcludeManagementEventSources":[{exclude}]}}]}}"#
            ),
        )
    };
    let advanced = |fields: &str| {
        (
            200,
            format!(
                r#"{{"TrailARN":"{arn}","AdvancedEventSelectors":[{{"Name":"selector","FieldSelectors":[{fields}]}}]}}"#
            ),
        )
    };
    match name {
        "classic-all" => classic("All", true, ""),
        "classic-read-only" => classic("ReadOnly", true, ""),
        "classic-no-management" => (
            200,
            format!(
                r#"{{"TrailARN":"{arn}","EventSelectors":[{{"ReadWriteType":"All","IncludeManagementEvents":false,"DataResources":[{{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}}],"ExcludeManagementEventSources":[]}}]}}"#
            ),
        ),
        "classic-without-kms" => classic("All", true, r#""kms.amazonaws.com""#),
        // one selector per type adds up to read and write
        "classic-read-plus-write" => (
            200,
            format!(
                r#"{{"TrailARN":"{arn}","EventSelectors":[{{"ReadWriteType":"ReadOnly","IncludeManagementEvents":true,"DataResources":[],"ExcludeManagementEventSources":[]}},{{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true,"DataResources":[],"ExcludeManagementEventSources":[]}}]}}"#
            ),
        ),
        "advanced-management" => advanced(r#"{"Field":"eventCategory","Equals":["Management"]}"#),
        "advanced-read-only" => {
            advanced(r#"{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}"#)
        }
        "advanced-without-rdsdata" => advanced(
            r#"{"Field":"eventCategory","Equals":["Management"]},{"Field":"eventSource","NotEquals":["rdsdata.amazonaws.com"]}"#,
        ),
        "advanced-data-only" => advanced(
            r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}"#,
        ),
        "denied" => error("AccessDeniedException"),
        _ => (200, format!(r#"{{"TrailARN":"{arn}","EventSelectors":[],"AdvancedEventSelectors":[]}}"#)),
    }
}

/// The trail a per-trail request names (`Name` / `TrailName` in the JSON body).
fn named(r: &Request) -> String {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let arn = v["Name"].as_str().or(v["TrailName"].as_str()).unwrap_or_default();
    arn.rsplit('/').next().unwrap_or_default().to_string()
}

fn account_answers(trails: &'static [(&'static str, &'static str, bool)]) -> impl Fn(&Request) -> (u16, String) {
    move |r: &Request| match r.op.as_str() {
        "DescribeTrails" => {
            let list: Vec<String> = trails.iter().map(|(acct, name, org)| trail_json(acct, name, *org)).collect();
            (200, format!(r#"{{"trailList":[{}]}}"#, list.join(",")))
        }
        "GetTrailStatus" => match named(r).as_str() {
            "gone" | "org-hidden" => error("TrailNotFoundException"),
            _ => (200, r#"{"IsLogging":true,"LatestDeliveryTime":1700000000.0}"#.into()),
        },
        "GetEventSelectors" => match named(r).as_str() {
            // what member accounts have been seen to get for the management
            // account's trail
            "org-trail" => error("CloudTrailARNInvalidException"),
            "org-hidden" => error("TrailNotFoundException"),
            other => selectors_of(other),
        },
        "GetCallerIdentity" => (200, CALLER.into()),
        other => panic!("unexpected call {other}: {}", r.uri),
    }
}

async fn audit(ctx: &crate::aws::Ctx, expect: &str) -> Vec<Finding> {
    let r = req("cloudtrail.trail", &format!("[requirement.expect]\n{expect}"));
    let mut plan = crate::collect::Plan::default();
    (r.kind.plan)(&r, &mut plan);
    let need = plan.need("cloudtrail").unwrap();
    let trails = collect(ctx, &need.regions(), need.has("tags"), need.has("selectors")).await;
    evaluate(&[r], &Inventory { trails, ..Default::default() })
}

#[tokio::test]
async fn management_events_follow_classic_and_advanced_selectors() {
    static TRAILS: &[(&str, &str, bool)] = &[
        (ME, "advanced-data-only", false),
        (ME, "advanced-management", false),
        (ME, "advanced-read-only", false),
        (ME, "advanced-without-rdsdata", false),
        (ME, "classic-all", false),
        (ME, "classic-no-management", false),
        (ME, "classic-read-only", false),
        (ME, "classic-read-plus-write", false),
        (ME, "classic-without-kms", false),
        (ME, "no-selectors", false),
    ];
    let f = audit(&ctx_with(account_answers(TRAILS)), "all_management_events = true").await;
    let a = |name: &str| arn(ME, name);
    let got: Vec<(Option<&str>, Status)> = statuses(&f);
    let names: Vec<String> = TRAILS.iter().map(|(_, n, _)| a(n)).collect();
    assert_eq!(
        got,
        [
            (Some(names[0].as_str()), Status::Drift),
            (Some(names[1].as_str()), Status::Pass),
            (Some(names[2].as_str()), Status::Drift),
            (Some(names[3].as_str()), Status::Drift),
            (Some(names[4].as_str()), Status::Pass),
            (Some(names[5].as_str()), Status::Drift),
            (Some(names[6].as_str()), Status::Drift),
            (Some(names[7].as_str()), Status::Pass),
            (Some(names[8].as_str()), Status::Drift),
            (Some(names[9].as_str()), Status::Drift),
        ]
    );
    let shown: Vec<&str> = f.iter().map(|f| observed(f, "all_management_events").as_str().unwrap_or("?")).collect();
    assert_eq!(
        shown,
        [
            "no management events",
            "read and write management events",
            "read only management events",
            "read and write management events, except rdsdata.amazonaws.com",
            "read and write management events",
            "no management events",
            "read only management events",
            "read and write management events",
            "read and write management events, except kms.amazonaws.com",
            "no management events",
        ]
    );
    assert_eq!(f[6].message, "classic-read-only: all_management_events is read only management events, expected true");
}

#[tokio::test]
async fn denied_selectors_make_only_that_trail_unknown() {
    static TRAILS: &[(&str, &str, bool)] = &[(ME, "classic-all", false), (ME, "denied", false)];
    let ctx = ctx_with(account_answers(TRAILS));
    let f = audit(&ctx, "all_management_events = true\nlogging = true").await;
    assert_eq!(
        statuses(&f),
        [(Some(arn(ME, "classic-all").as_str()), Status::Pass), (Some(arn(ME, "denied").as_str()), Status::Unknown)]
    );
    let errors: Vec<(String, Option<String>, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.resource.clone(), g.code.clone())).collect();
    assert_eq!(
        errors,
        [("GetEventSelectors".to_string(), Some(arn(ME, "denied")), "AccessDeniedException".to_string())]
    );
    assert_eq!(
        f[1].message,
        "denied: all_management_events not observed (cloudtrail:GetEventSelectors in us-east-1 failed with AccessDeniedException)"
    );
    // IsLogging of the same trail was read
    assert_eq!(observed(&f[1], "logging"), &serde_json::json!(true));
}

/// AWS documents that a member account asks GetTrailStatus by the organization
/// trail's full ARN; what it cannot read is said plainly, never taken for gone.
#[tokio::test]
async fn organization_trail_of_another_account_is_asked_by_arn_and_failures_say_whose_it_is() {
    static TRAILS: &[(&str, &str, bool)] =
        &[(ORG_OWNER, "org-hidden", true), (ORG_OWNER, "org-trail", true), (ME, "classic-all", false)];
    let (ctx, seen) = recording_ctx(account_answers(TRAILS));
    let f = audit(&ctx, "all_management_events = true\nlogging = true").await;
    let (hidden, org) = (arn(ORG_OWNER, "org-hidden"), arn(ORG_OWNER, "org-trail"));
    assert_eq!(
        statuses(&f),
        [
            (Some(arn(ME, "classic-all").as_str()), Status::Pass),
            (Some(hidden.as_str()), Status::Unknown),
            (Some(org.as_str()), Status::Unknown)
        ]
    );
    assert_eq!(
        f[1].message,
        "org-hidden: logging not observed (organization trail owned by account 999988887777: GetTrailStatus from \
this member account failed with TrailNotFoundException); all_management_events not observed (organization trail \
owned by account 999988887777: GetTrailStatus from this member account failed with TrailNotFoundException)"
    );
    assert_eq!(observed(&f[2], "logging"), &serde_json::json!(true));
    assert_eq!(
        f[2].message,
        "org-trail: all_management_events not observed (organization trail owned by account 999988887777: \
GetEventSelectors from this member account failed with CloudTrailARNInvalidException)"
    );
    // the failed calls are listed as such
    let errors: Vec<(String, String, String)> = ctx
        .errors
        .lock()
        .unwrap()
        .iter()
        .map(|g| (g.operation.clone(), g.resource.clone().unwrap_or_default(), g.code.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let e = |op: &str, a: &str, code: &str| (op.to_string(), a.to_string(), code.to_string());
    assert_eq!(
        errors,
        [
            e("GetEventSelectors", &org, "CloudTrailARNInvalidException"),
            e("GetTrailStatus", &hidden, "TrailNotFoundException"),
        ]
    );
    // each trail is asked by its full ARN
    let asked: BTreeSet<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.op == "GetTrailStatus")
        .map(|r| serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["Name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(asked, BTreeSet::from([arn(ME, "classic-all"), hidden.clone(), org.clone()]));
}

#[tokio::test]
async fn organization_trail_of_this_account_is_read() {
    static TRAILS: &[(&str, &str, bool)] = &[(ME, "classic-all", true)];
    let f = audit(&ctx_with(account_answers(TRAILS)), "all_management_events = true\nlogging = true").await;
    assert_eq!(statuses(&f), [(Some(arn(ME, "classic-all").as_str()), Status::Pass)]);
}

#[tokio::test]
async fn trail_deleted_after_listing_is_gone() {
    static TRAILS: &[(&str, &str, bool)] = &[(ME, "classic-all", false), (ME, "gone", false)];
    let ctx = ctx_with(account_answers(TRAILS));
    let f = audit(&ctx, "logging = true").await;
    assert_eq!(statuses(&f), [(Some(arn(ME, "classic-all").as_str()), Status::Pass)]);
    assert!(ctx.errors.lock().unwrap().is_empty(), "{:?}", ctx.errors.lock().unwrap());
}

#[tokio::test]
async fn selectors_are_read_only_when_asked() {
    static TRAILS: &[(&str, &str, bool)] = &[(ME, "classic-all", false)];
    let (ctx, seen) = recording_ctx(account_answers(TRAILS));
    let f = audit(&ctx, "logging = true").await;
    assert_eq!(statuses(&f), [(Some(arn(ME, "classic-all").as_str()), Status::Pass)]);
    let ops: BTreeSet<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, BTreeSet::from(["DescribeTrails".to_string(), "GetTrailStatus".to_string()]));
}

/// DescribeTrails has no pagination in the CloudTrail API reference (one answer
/// holds every trail), so this checks the fields instead: a trail that leaves out
/// KmsKeyId, LogFileValidationEnabled and IncludeGlobalServiceEvents keeps them
/// unset, never read as false; a single-region trail of another region is not
/// this region's; tags come from ListTags' ResourceTagList.
#[tokio::test]
async fn describe_trails_fields_absent_ones_unset_and_tags_read() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeTrails" => (
            200,
            format!(
                r#"{{"trailList":[{},{{"Name":"bare","HomeRegion":"us-east-1","TrailARN":"{}","IsMultiRegionTrail":false,"IsOrganizationTrail":false}},{{"Name":"elsewhere","HomeRegion":"eu-west-1","TrailARN":"arn:aws:cloudtrail:eu-west-1:{ME}:trail/elsewhere","IsMultiRegionTrail":false}}]}}"#,
                trail_json(ME, "full", false).replace(
                    r#""LogFileValidationEnabled":true"#,
                    r#""LogFileValidationEnabled":true,"KmsKeyId":"arn:aws:kms:us-east-1:111122223333:key/k1""#
                ),
                arn(ME, "bare")
            ),
        ),
        "GetTrailStatus" => (200, r#"{"IsLogging":false}"#.into()),
        "ListTags" if r.body.contains("/full") => (
            200,
            format!(
                r#"{{"ResourceTagList":[{{"ResourceId":"{}","TagsList":[{{"Key":"team","Value":"sec"}},{{"Key":"flag"}}]}}]}}"#,
                arn(ME, "full")
            ),
        ),
        "ListTags" => (200, format!(r#"{{"ResourceTagList":[{{"ResourceId":"{}","TagsList":[]}}]}}"#, arn(ME, "bare"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &BTreeSet::from(["us-east-1".to_string()]), true, false).await;
    let trails = got["us-east-1"].known().expect("the trails were read");
    type Row<'a> = (
        &'a str,
        bool,
        Option<bool>,
        Option<&'a str>,
        Option<bool>,
        Option<&'a str>,
        Observed<bool>,
        Observed<crate::inventory::Tags>,
    );
    let rows: Vec<Row> = trails
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.multi_region,
                t.log_file_validation,
                t.kms_key.as_deref(),
                t.include_global_service_events,
                t.s3_bucket.as_deref(),
                t.is_logging.clone(),
                t.tags.clone(),
            )
        })
        .collect();
    use crate::inventory::Observed;
    assert_eq!(
        rows,
        [
            (
                "full",
                true,
                Some(true),
                Some("arn:aws:kms:us-east-1:111122223333:key/k1"),
                Some(true),
                Some("audit-logs"),
                Observed::Known(false),
                Observed::Known([("flag".to_string(), String::new()), ("team".to_string(), "sec".to_string())].into())
            ),
            ("bare", false, None, None, None, None, Observed::Known(false), Observed::Known(Default::default())),
        ]
    );
    assert!(ctx.errors.lock().unwrap().is_empty());
}

/// A trail deleted after DescribeTrails: GetTrailStatus answers
/// TrailNotFoundException and ListTags ResourceNotFoundException (both in the
/// CloudTrail API reference's errors). The trail is gone, and no error is
/// reported for it. FAILS today (a collector bug, left failing on purpose): `tags()`
/// in src/collect/cloudtrail.rs records every ListTags error with `ctx.gap`, so the
/// dropped trail still leaves a ListTags error in the report.
#[tokio::test]
async fn trail_deleted_before_its_tags_is_gone_without_error() {
    static TRAILS: &[(&str, &str, bool)] = &[(ME, "classic-all", false), (ME, "gone", false)];
    let answers = account_answers(TRAILS);
    let ctx = ctx_with(move |r| match r.op.as_str() {
        "ListTags" if r.body.contains("/gone") => error("ResourceNotFoundException"),
        "ListTags" => (200, r#"{"ResourceTagList":[]}"#.into()),
        _ => answers(r),
    });
    let got = collect(&ctx, &BTreeSet::from(["us-east-1".to_string()]), true, false).await;
    let names: Vec<String> = got["us-east-1"].known().into_iter().flatten().map(|t| t.name.clone()).collect();
    assert_eq!(names, ["classic-all"]);
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, []);
}
