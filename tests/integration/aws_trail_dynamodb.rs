//! Live tests against LocalStack for AWS-documented semantics (issue 12): the
//! management events a trail's event selectors log. PutEventSelectors and
//! GetEventSelectors round-trip in the emulator (called in the trail's home
//! region). The emulator cannot put a DynamoDB replica in any status but ACTIVE,
//! nor show an organization trail of another account: those are tested over
//! recorded answers (src/collect/dynamodb_tests.rs, src/collect/cloudtrail_tests.rs).

use crate::support::account;
use crate::support::audit::{self, row};
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector, EventSelector, ReadWriteType};
use serde_json::json;

const PROFILE: &str = r#"[profile]
name = "trail-events"
regions = ["us-east-1"]

[[requirement]]
id = "all-api-calls"
kind = "cloudtrail.trail"
severity = "high"
description = "Every trail logs read and write management events"
[requirement.expect]
all_management_events = true
"#;

fn field(name: &str, equals: &str) -> AdvancedFieldSelector {
    AdvancedFieldSelector::builder().field(name).equals(equals).build().expect("field selector")
}

#[tokio::test]
async fn trail_selectors_read_only_drift_and_all_pass() {
    let acct = account();
    let region = "us-east-1";
    let bucket = acct.bucket("dw-trail-events");
    acct.s3(region).create_bucket().bucket(&bucket).send().await.unwrap();
    let ct = acct.cloudtrail(region);
    for name in
        ["a-classic-all", "b-classic-read-only", "c-classic-no-kms", "d-advanced-management", "e-advanced-write"]
    {
        ct.create_trail().name(name).s3_bucket_name(&bucket).send().await.unwrap();
    }
    let classic = |rw: ReadWriteType| EventSelector::builder().read_write_type(rw).include_management_events(true);
    ct.put_event_selectors()
        .trail_name("a-classic-all")
        .event_selectors(classic(ReadWriteType::All).build())
        .send()
        .await
        .unwrap();
    ct.put_event_selectors()
        .trail_name("b-classic-read-only")
        .event_selectors(classic(ReadWriteType::ReadOnly).build())
        .send()
        .await
        .unwrap();
    ct.put_event_selectors()
        .trail_name("c-classic-no-kms")
        .event_selectors(classic(ReadWriteType::All).exclude_management_event_sources("kms.amazonaws.com").build())
        .send()
        .await
        .unwrap();
    let management =
        AdvancedEventSelector::builder().name("management").field_selectors(field("eventCategory", "Management"));
    ct.put_event_selectors()
        .trail_name("d-advanced-management")
        .advanced_event_selectors(management.clone().build().unwrap())
        .send()
        .await
        .unwrap();
    ct.put_event_selectors()
        .trail_name("e-advanced-write")
        .advanced_event_selectors(management.field_selectors(field("readOnly", "false")).build().unwrap())
        .send()
        .await
        .unwrap();

    let profile = audit::profile_file(PROFILE);
    let a = audit::run(&acct, &[profile.path()], &[]);
    a.assert_code(1);
    let arn = |n: &str| format!("arn:aws:cloudtrail:us-east-1:{}:trail/{n}", acct.id);
    let names =
        ["a-classic-all", "b-classic-read-only", "c-classic-no-kms", "d-advanced-management", "e-advanced-write"];
    let arns: Vec<String> = names.iter().map(|n| arn(n)).collect();
    assert_eq!(
        a.rows(),
        [
            row("all-api-calls", Some(&arns[0]), "pass"),
            row("all-api-calls", Some(&arns[1]), "drift"),
            row("all-api-calls", Some(&arns[2]), "drift"),
            row("all-api-calls", Some(&arns[3]), "pass"),
            row("all-api-calls", Some(&arns[4]), "drift"),
        ]
    );
    let shown: Vec<serde_json::Value> =
        arns.iter().map(|r| a.observed("all-api-calls", Some(r), "all_management_events")).collect();
    assert_eq!(
        shown,
        [
            json!("read and write management events"),
            json!("read only management events"),
            json!("read and write management events, except kms.amazonaws.com"),
            json!("read and write management events"),
            json!("write only management events"),
        ]
    );
    assert!(a.report["errors"].as_array().is_some_and(|e| e.is_empty()), "{:#}", a.report["errors"]);
}

/// A global table whose us-west-2 replica is still CREATING does not hold that
/// region (DescribeTable ReplicaStatus; only ACTIVE counts), next to one whose
/// replica is ACTIVE. The emulator's replicas are always ACTIVE: the project's
/// extension lets a test set a replica's status with a tag on its table.
#[tokio::test]
async fn dynamodb_replica_not_active_does_not_count() {
    use aws_sdk_dynamodb::types::*;
    let acct = account();
    let ddb = acct.dynamodb("us-east-1");
    for name in ["sessions-ok", "sessions-new"] {
        ddb.create_table()
            .table_name(name)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(KeySchemaElement::builder().attribute_name("id").key_type(KeyType::Hash).build().unwrap())
            .billing_mode(BillingMode::PayPerRequest)
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        let replica = ReplicationGroupUpdate::builder()
            .create(CreateReplicationGroupMemberAction::builder().region_name("us-west-2").build().unwrap())
            .build();
        ddb.update_table().table_name(name).replica_updates(replica).send().await.unwrap();
    }
    let creating = Tag::builder().key("driftwatch-test:replica-status").value("CREATING").build().unwrap();
    acct.dynamodb("us-west-2")
        .tag_resource()
        .resource_arn(format!("arn:aws:dynamodb:us-west-2:{}:table/sessions-new", acct.id))
        .tags(creating)
        .send()
        .await
        .unwrap();
    let profile = audit::profile_file(
        "[profile]\nname = \"global\"\n[[requirement]]\nid = \"global-tables\"\nkind = \"dynamodb.table\"\nselect = { name_prefix = \"sessions-\", regions = [\"us-east-1\"] }\n[requirement.expect]\nreplica_regions = [\"us-west-2\"]\n",
    );
    let a = audit::run(&acct, &[profile.path()], &[]);
    a.assert_code(1);
    let arn = |n: &str| format!("arn:aws:dynamodb:us-east-1:{}:table/{n}", acct.id);
    let (new, ok) = (arn("sessions-new"), arn("sessions-ok"));
    assert_eq!(a.rows(), [row("global-tables", Some(&new), "drift"), row("global-tables", Some(&ok), "pass")]);
    assert_eq!(
        a.observed("global-tables", Some(&new), "replica_regions"),
        json!(["us-east-1", "us-west-2 (CREATING)"])
    );
    assert_eq!(a.observed("global-tables", Some(&ok), "replica_regions"), json!(["us-east-1", "us-west-2"]));
    assert_eq!(a.report["errors"], json!([]));
}
