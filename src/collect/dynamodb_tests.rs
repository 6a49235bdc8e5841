//! The DynamoDB collector over recorded answers written from the DynamoDB API
//! reference (ListTables, DescribeTable's TableDescription and ReplicaDescription,
//! DescribeContinuousBackups; errors in the JSON `__type` shape). The emulator
//! cannot put a replica in a status other than ACTIVE, so replica statuses are
//! tested here only.

use super::collect;
use crate::collect::fake::{ctx_with, Request};
use crate::collect::Plan;
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::Inventory;
use crate::kinds::tests::{observed, req, statuses};

const ARN: &str = "arn:aws:dynamodb:us-east-1:111122223333:table";

fn described(name: &str, replicas: &str) -> String {
    format!(
        r#"{{"Table":{{"TableName":"{name}","TableArn":"{ARN}/{name}","TableStatus":"ACTIVE","TableId":"4e3c5ab9-0000-0000-0000-000000000000","CreationDateTime":1700000000.0,"ItemCount":0,"TableSizeBytes":0,"DeletionProtectionEnabled":true,"GlobalTableVersion":"2019.11.21","Replicas":[{replicas}]}}}}"#
    )
}

fn error(code: &str) -> (u16, String) {
    (400, format!(r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{code}","message":"{code} here"}}"#))
}

fn answers(r: &Request) -> (u16, String) {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let name = v["TableName"].as_str().unwrap_or_default();
    match (r.op.as_str(), name) {
        ("ListTables", _) => {
            (200, r#"{"TableNames":["a-active","b-creating","c-deleted","d-denied","e-no-status"]}"#.into())
        }
        ("DescribeTable", "a-active") => (
            200,
            described(
                name,
                r#"{"RegionName":"us-west-2","ReplicaStatus":"ACTIVE"},{"RegionName":"ap-south-1","ReplicaStatus":"ACTIVE"}"#,
            ),
        ),
        ("DescribeTable", "b-creating") => (
            200,
            described(
                name,
                r#"{"RegionName":"us-west-2","ReplicaStatus":"ACTIVE"},{"RegionName":"ap-south-1","ReplicaStatus":"CREATING","ReplicaStatusPercentProgress":"40"}"#,
            ),
        ),
        ("DescribeTable", "c-deleted") => error("ResourceNotFoundException"),
        ("DescribeTable", "d-denied") => error("AccessDeniedException"),
        ("DescribeTable", "e-no-status") => {
            (200, described(name, r#"{"RegionName":"us-west-2","ReplicaStatus":"ACTIVE"},{"RegionName":"ap-south-1"}"#))
        }
        ("DescribeContinuousBackups", "a-active") => (
            200,
            r#"{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"ENABLED","EarliestRestorableDateTime":1700000000.0,"LatestRestorableDateTime":1700003600.0}}}"#.into(),
        ),
        ("DescribeContinuousBackups", "b-creating") => error("AccessDeniedException"),
        // deleted after DescribeTable answered
        ("DescribeContinuousBackups", "e-no-status") => error("TableNotFoundException"),
        (op, _) => panic!("unexpected call {op} {}", r.body),
    }
}

async fn audit(expect: &str) -> Vec<Finding> {
    audit_with_errors(expect).await.0
}

/// The findings, and the failed calls as (operation, resource, code).
async fn audit_with_errors(expect: &str) -> (Vec<Finding>, Vec<(String, String, String)>) {
    let r = req("dynamodb.table", &format!("select = {{ regions = [\"us-east-1\"] }}\n[requirement.expect]\n{expect}"));
    let mut plan = Plan::default();
    (r.kind.plan)(&r, &mut plan);
    let ctx = ctx_with(answers);
    let need = plan.need("dynamodb").unwrap();
    let tables = collect(&ctx, &crate::collect::Regional::of(need, "point_in_time_recovery", "key_manager")).await;
    let errors = ctx
        .errors
        .lock()
        .unwrap()
        .iter()
        .map(|g| (g.operation.clone(), g.resource.clone().unwrap_or_default(), g.code.clone()))
        .collect();
    (evaluate(&[r], &Inventory { tables, ..Default::default() }), errors)
}

#[tokio::test]
async fn only_active_replicas_hold_a_region() {
    let f = audit("replica_regions = [\"us-east-1\", \"us-west-2\", \"ap-south-1\"]").await;
    let arn = |n: &str| format!("{ARN}/{n}");
    let (a, b, e) = (arn("a-active"), arn("b-creating"), arn("e-no-status"));
    // c-deleted is gone; d-denied was listed but not described, so it is known by name only
    // (findings come sorted by resource)
    assert_eq!(
        statuses(&f),
        [
            (Some(a.as_str()), Status::Pass),
            (Some(b.as_str()), Status::Drift),
            (Some(e.as_str()), Status::Unknown),
            (Some("d-denied"), Status::Unknown),
        ]
    );
    assert_eq!(observed(&f[0], "replica_regions"), &serde_json::json!(["us-east-1", "us-west-2", "ap-south-1"]));
    assert_eq!(
        observed(&f[1], "replica_regions"),
        &serde_json::json!(["us-east-1", "us-west-2", "ap-south-1 (CREATING)"])
    );
    assert_eq!(
        f[1].message,
        "b-creating: replica_regions is [\"us-east-1\",\"us-west-2\",\"ap-south-1 (CREATING)\"], expected [\"us-east-1\",\"us-west-2\",\"ap-south-1\"]"
    );
    assert_eq!(
        f[2].message,
        "e-no-status: replica_regions not observed (DescribeTable gave a required replica no ReplicaStatus)"
    );
    assert_eq!(
        f[3].message,
        "d-denied: replica_regions not observed (dynamodb:DescribeTable in us-east-1 failed with AccessDeniedException)"
    );
}

#[tokio::test]
async fn a_denied_table_does_not_hide_the_others() {
    let f = audit("deletion_protection = true").await;
    let arn = |n: &str| format!("{ARN}/{n}");
    let (a, b, e) = (arn("a-active"), arn("b-creating"), arn("e-no-status"));
    assert_eq!(
        statuses(&f),
        [
            (Some(a.as_str()), Status::Pass),
            (Some(b.as_str()), Status::Pass),
            (Some(e.as_str()), Status::Pass),
            (Some("d-denied"), Status::Unknown),
        ]
    );
}

#[tokio::test]
async fn point_in_time_recovery_gaps_stay_with_their_table() {
    let (f, errors) = audit_with_errors("point_in_time_recovery = true").await;
    let arn = |n: &str| format!("{ARN}/{n}");
    let (a, b) = (arn("a-active"), arn("b-creating"));
    // e-no-status was deleted before DescribeContinuousBackups: gone, like c-deleted
    assert_eq!(
        statuses(&f),
        [(Some(a.as_str()), Status::Pass), (Some(b.as_str()), Status::Unknown), (Some("d-denied"), Status::Unknown)]
    );
    let e = |op: &str, res: &str, code: &str| (op.to_string(), res.to_string(), code.to_string());
    let mut errors = errors;
    errors.sort();
    assert_eq!(
        errors,
        [
            e("DescribeContinuousBackups", &b, "AccessDeniedException"),
            e("DescribeTable", "d-denied", "AccessDeniedException"),
        ]
    );
}

/// `customer_managed_key` over AWS's answers: DescribeTable's SSEDescription names
/// the key (KMSMasterKeyArn) and KMS DescribeKey's KeyMetadata.KeyManager says who
/// manages it; the `aws/dynamodb` key that SSE-KMS uses when no key is given is
/// `AWS`, not the customer's. The emulator cannot hold that: its DynamoDB names a
/// key its KMS does not know, and its `alias/aws/dynamodb` key says CUSTOMER.
#[tokio::test]
async fn an_aws_managed_table_key_is_not_the_customers() {
    let key = |id: &str| format!("arn:aws:kms:us-east-1:111122223333:key/{id}");
    let (customer, managed) =
        (key("1234abcd-12ab-34cd-56ef-1234567890ab"), key("0987dcba-09fe-87dc-65ba-ab0987654321"));
    let (c, m) = (customer.clone(), managed.clone());
    let ctx = ctx_with(move |r: &Request| {
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
        let sse =
            |k: &str| format!(r#""SSEDescription":{{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"{k}"}}"#);
        let table = |name: &str, k: &str| {
            format!(
                r#"{{"Table":{{"TableName":"{name}","TableArn":"{ARN}/{name}","TableStatus":"ACTIVE","DeletionProtectionEnabled":true,{}}}}}"#,
                sse(k)
            )
        };
        let meta = |k: &str, manager: &str| {
            format!(
                r#"{{"KeyMetadata":{{"AWSAccountId":"111122223333","KeyId":"{}","Arn":"{k}","KeyManager":"{manager}","KeyState":"Enabled","Enabled":true,"KeyUsage":"ENCRYPT_DECRYPT","Origin":"AWS_KMS","CreationDate":1700000000.0}}}}"#,
                k.rsplit('/').next().unwrap_or_default()
            )
        };
        match (r.op.as_str(), v["TableName"].as_str().or(v["KeyId"].as_str()).unwrap_or_default()) {
            ("ListTables", _) => (200, r#"{"TableNames":["a-customer","b-aws-managed"]}"#.into()),
            ("DescribeTable", "a-customer") => (200, table("a-customer", &c)),
            ("DescribeTable", "b-aws-managed") => (200, table("b-aws-managed", &m)),
            ("DescribeKey", k) if k == c => (200, meta(&c, "CUSTOMER")),
            ("DescribeKey", k) if k == m => (200, meta(&m, "AWS")),
            (op, _) => panic!("unexpected call {op} {}", r.body),
        }
    });
    let r = req(
        "dynamodb.table",
        "select = { regions = [\"us-east-1\"] }\n[requirement.expect]\ncustomer_managed_key = true",
    );
    let mut plan = Plan::default();
    (r.kind.plan)(&r, &mut plan);
    let need = plan.need("dynamodb").unwrap();
    let tables = collect(&ctx, &crate::collect::Regional::of(need, "point_in_time_recovery", "key_manager")).await;
    assert!(ctx.errors.lock().unwrap().is_empty());
    let f = evaluate(&[r], &Inventory { tables, ..Default::default() });
    let (a, b) = (format!("{ARN}/a-customer"), format!("{ARN}/b-aws-managed"));
    assert_eq!(statuses(&f), [(Some(a.as_str()), Status::Pass), (Some(b.as_str()), Status::Drift)]);
    assert_eq!(observed(&f[0], "customer_managed_key"), &serde_json::json!("CUSTOMER"));
    assert_eq!(observed(&f[1], "customer_managed_key"), &serde_json::json!("AWS"));
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok != Some(true)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["customer_managed_key"]);
}

/// ListTables names, with LastEvaluatedTableName while more remain.
fn tables_page(names: &[&str], last: Option<&str>) -> String {
    match last {
        Some(l) => serde_json::json!({"TableNames": names, "LastEvaluatedTableName": l}),
        None => serde_json::json!({"TableNames": names}),
    }
    .to_string()
}

fn body_field(r: &Request, name: &str) -> String {
    serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|b| b[name].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A table with the default encryption (AWS owned key), no deletion protection
/// field and no replicas: AWS leaves out SSEDescription, DeletionProtectionEnabled
/// and Replicas.
fn bare_table(name: &str) -> String {
    format!(
        r#"{{"Table":{{"TableName":"{name}","TableArn":"{ARN}/{name}","TableStatus":"ACTIVE","CreationDateTime":1700000000.0,"ItemCount":0,"TableSizeBytes":0}}}}"#
    )
}

/// A table under a customer managed key.
fn keyed_table(name: &str) -> String {
    format!(
        r#"{{"Table":{{"TableName":"{name}","TableArn":"{ARN}/{name}","TableStatus":"ACTIVE","CreationDateTime":1700000000.0,"DeletionProtectionEnabled":false,"SSEDescription":{{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:aws:kms:us-east-1:111122223333:key/k1"}}}}}}"#
    )
}

fn only_region(tags: bool) -> crate::collect::Regional {
    crate::collect::Regional { regions: ["us-east-1".to_string()].into(), tags, ..Default::default() }
}

#[tokio::test]
async fn list_tables_follows_every_page_and_absent_fields_stay_unset() {
    let (ctx, seen) = crate::collect::fake::recording_ctx(|r| match r.op.as_str() {
        "ListTables" if body_field(r, "ExclusiveStartTableName") == "keyed" => (200, tables_page(&["plain"], None)),
        "ListTables" => (200, tables_page(&["keyed"], Some("keyed"))),
        "DescribeTable" if body_field(r, "TableName") == "keyed" => (200, keyed_table("keyed")),
        "DescribeTable" => (200, bare_table("plain")),
        // two pages of tags for the keyed table, none for the other
        "ListTagsOfResource" if body_field(r, "NextToken") == "t2" => {
            (200, r#"{"Tags":[{"Key":"env","Value":"prod"}]}"#.into())
        }
        "ListTagsOfResource" if body_field(r, "ResourceArn").ends_with("/keyed") => {
            (200, r#"{"Tags":[{"Key":"team","Value":"data"}],"NextToken":"t2"}"#.into())
        }
        "ListTagsOfResource" => (200, r#"{"Tags":[]}"#.into()),
        op => panic!("unexpected call {op}"),
    });
    let got = collect(&ctx, &only_region(true)).await;
    let tables = got["us-east-1"].known().expect("both pages were read");
    let summary: Vec<_> = tables
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.sse_type.as_deref(),
                t.kms_key.as_deref(),
                t.deletion_protection,
                t.replicas.len(),
                t.tags.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "keyed",
                Some("KMS"),
                Some("arn:aws:kms:us-east-1:111122223333:key/k1"),
                Some(false),
                0,
                crate::inventory::Observed::Known(
                    [("env".to_string(), "prod".to_string()), ("team".to_string(), "data".to_string())].into()
                )
            ),
            ("plain", None, None, None, 0, crate::inventory::Observed::Known(Default::default())),
        ]
    );
    let lists = seen.lock().unwrap().iter().filter(|r| r.op == "ListTables").count();
    assert_eq!(lists, 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_list_tables_page_fails_the_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListTables" if body_field(r, "ExclusiveStartTableName") == "keyed" => error("ThrottlingException"),
        "ListTables" => (200, tables_page(&["keyed"], Some("keyed"))),
        op => panic!("unexpected call {op}"),
    });
    let got = collect(&ctx, &only_region(false)).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("ListTables", "ThrottlingException", crate::inventory::ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["ListTables"]);
}

/// A table deleted after DescribeTable answered, before ListTagsOfResource
/// (ResourceNotFoundException, per the DynamoDB API reference): it is gone, with
/// no error, like a table whose continuous backups read finds it deleted.
/// FAILS today (a collector bug, left failing on purpose): `tags()` in
/// src/collect/dynamodb.rs records every ListTagsOfResource error as a gap, so the
/// deleted table stays listed with unknown tags and an error is reported.
#[tokio::test]
async fn a_table_deleted_before_its_tags_are_read_is_gone() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListTables" => (200, tables_page(&["kept", "vanished"], None)),
        "DescribeTable" => (200, bare_table(&body_field(r, "TableName"))),
        "ListTagsOfResource" if body_field(r, "ResourceArn").ends_with("/vanished") => {
            error("ResourceNotFoundException")
        }
        "ListTagsOfResource" => (200, r#"{"Tags":[]}"#.into()),
        op => panic!("unexpected call {op}"),
    });
    let got = collect(&ctx, &only_region(true)).await;
    let tables = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["kept"]);
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, []);
}
