//! `--format asff`: the findings in the AWS Security Finding Format, as a JSON array
//! that `aws securityhub batch-import-findings --findings file://FILE` takes as is.
//!
//! BatchImportFindings takes 1 to 100 findings a call (its `Findings` list has
//! min 1, max 100 in the Security Hub API model), so a report of more findings is
//! imported in slices (README: `jq -c 'range(0; length; 100) as $i | .[$i:$i+100]'`).
//!
//! Every finding of the report becomes one ASFF finding, passes included, so that
//! a fixed resource's earlier FAILED finding is updated to PASSED on the next
//! import (the ids are stable, `identity::stable_id`). Mapping of the status:
//!
//! | driftwatch     | Compliance.Status | Workflow.Status | RecordState | Severity.Label |
//! |----------------|-------------------|-----------------|-------------|----------------|
//! | drift          | FAILED            | NEW             | ACTIVE      | requirement's  |
//! | unknown        | NOT_AVAILABLE     | NEW             | ACTIVE      | requirement's  |
//! | waived         | FAILED            | SUPPRESSED      | ACTIVE      | requirement's  |
//! | pass           | PASSED            | RESOLVED        | ACTIVE      | INFORMATIONAL  |
//! | not_applicable | NOT_AVAILABLE     | RESOLVED        | ARCHIVED    | INFORMATIONAL  |
//!
//! `unknown` is never PASSED: NOT_AVAILABLE is documented as "check could not be
//! performed due to a service outage, API error, ..." (API reference, Compliance).
//! A waived drift still fails its requirement; suppressing it is the workflow's
//! business. Security Hub takes `Workflow` from BatchImportFindings only when it
//! creates a finding (API reference, BatchImportFindings: after creation it cannot
//! update Note, UserDefinedFields, VerificationState, Workflow), so a waiver added
//! later is shown by `ProductFields."driftwatch/waiver"` and is applied in Security
//! Hub with BatchUpdateFindings. Severity and Types are also sent in
//! `FindingProviderFields`, the fields a provider updates them through.
//! INFORMATIONAL for a pass is the user guide's "No issue was found"; the
//! requirement's own severity stays in `Severity.Original`.

use super::identity::{self, clip};
use super::Report;
use crate::compare::{Finding, Status};
use crate::partition::Partition;
use crate::profile::Severity;
use serde_json::{json, Map, Value};
use std::io::Write;

/// AwsSecurityFinding.SchemaVersion: "The value is 2018-10-08" (API reference).
pub const SCHEMA_VERSION: &str = "2018-10-08";
/// BatchImportFindings: `Findings` holds at most 100 findings a call.
pub const BATCH_LIMIT: usize = 100;
/// Length limits from the AwsSecurityFinding API reference (characters):
/// Id 1..512, GeneratorId 1..512, Title up to 256, Description 1..1024.
pub const ID_MAX: usize = 512;
pub const GENERATOR_ID_MAX: usize = 512;
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 1024;
/// ProductFields: "up to 50 key-value pairs ... the key can contain up to 128
/// characters, and the value can contain up to 2048 characters".
pub const PRODUCT_FIELD_KEY_MAX: usize = 128;
pub const PRODUCT_FIELD_VALUE_MAX: usize = 2048;
pub const PRODUCT_FIELDS_MAX: usize = 50;
/// The finding type, from the user guide's "Types taxonomy for ASFF" (namespace
/// "Software and Configuration Checks", category "Industry and Regulatory
/// Standards": a declared profile is the organisation's own standard).
pub const FINDING_TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards";
/// The partitions `Resource.Partition` accepts (API reference: aws, aws-cn, aws-us-gov).
const RESOURCE_PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov"];

/// Each requirement kind's ASFF resource type (the `ResourceDetails` names in the
/// Security Hub API); "Other" for a kind ASFF has no type for, as the Resource
/// reference says to use.
const RESOURCE_TYPES: &[(&str, &str)] = &[
    ("acm.certificate", "AwsCertificateManagerCertificate"),
    ("autoscaling.group", "AwsAutoScalingAutoScalingGroup"),
    ("cloudfront.distribution", "AwsCloudFrontDistribution"),
    ("cloudtrail.trail", "AwsCloudTrailTrail"),
    ("cloudwatch.alarm", "AwsCloudWatchAlarm"),
    ("dynamodb.table", "AwsDynamoDbTable"),
    ("ec2.instance", "AwsEc2Instance"),
    ("ec2.route_table", "AwsEc2RouteTable"),
    ("ec2.security_group", "AwsEc2SecurityGroup"),
    ("ec2.vpc", "AwsEc2Vpc"),
    ("ec2.vpc_peering", "AwsEc2VpcPeeringConnection"),
    ("elbv2.load_balancer", "AwsElbv2LoadBalancer"),
    ("iam.group", "AwsIamGroup"),
    ("iam.role", "AwsIamRole"),
    ("iam.user", "AwsIamUser"),
    ("kms.key", "AwsKmsKey"),
    ("lambda.function", "AwsLambdaFunction"),
    ("rds.instance", "AwsRdsDbInstance"),
    ("s3.bucket", "AwsS3Bucket"),
    ("secretsmanager.secret", "AwsSecretsManagerSecret"),
    ("sns.topic", "AwsSnsTopic"),
    ("sqs.queue", "AwsSqsQueue"),
    ("wafv2.web_acl", "AwsWafv2WebAcl"),
];

pub fn resource_type(kind: &str) -> &'static str {
    RESOURCE_TYPES.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t).unwrap_or("Other")
}

/// Generic over the writer, like the JSON report.
pub fn render<W: Write>(report: &Report, out: &mut W) -> std::io::Result<()> {
    let findings = findings(report).map_err(std::io::Error::other)?;
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

/// The report's findings as ASFF findings, in the report's order. Fails when a
/// finding's account is not known (AwsAccountId is required, 12 digits).
pub fn findings(report: &Report) -> Result<Vec<Value>, String> {
    // BatchImportFindings is a regional call and the ProductArn names its region:
    // the findings go to the first audited region, else the first finding's, else
    // us-east-1; the partition follows that region.
    let home = report
        .regions
        .first()
        .or_else(|| report.findings.iter().find_map(|f| f.region.as_ref()))
        .map(String::as_str)
        .unwrap_or(crate::partition::AWS.global_region);
    let partition = Partition::of_region(home);
    report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let account = identity::account(report, f)
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    format!(
                        "ASFF needs the 12-digit account id of every finding; {}/{} has none",
                        f.profile, f.requirement
                    )
                })?;
            Ok(finding(report, i, f, account, partition, home))
        })
        .collect()
}

fn finding(report: &Report, index: usize, f: &Finding, account: &str, partition: Partition, home: &str) -> Value {
    let (compliance, workflow, record) = match f.status {
        Status::Drift => ("FAILED", "NEW", "ACTIVE"),
        Status::Unknown => ("NOT_AVAILABLE", "NEW", "ACTIVE"),
        Status::Waived => ("FAILED", "SUPPRESSED", "ACTIVE"),
        Status::Pass => ("PASSED", "RESOLVED", "ACTIVE"),
        Status::NotApplicable => ("NOT_AVAILABLE", "RESOLVED", "ARCHIVED"),
    };
    let label = match f.status {
        Status::Pass | Status::NotApplicable => "INFORMATIONAL",
        _ => severity_label(f.severity),
    };
    let severity = json!({ "Label": label, "Original": f.severity.as_str() });
    let product_arn = partition.arn("securityhub", home, account, &format!("product/{account}/default"));
    let title = identity::title(f);
    let description = identity::description(f);
    json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": identity::stable_id(account, f, ID_MAX),
        "ProductArn": product_arn,
        "ProductName": "driftwatch",
        "CompanyName": "driftwatch",
        "GeneratorId": clip(&format!("driftwatch/{}/{}", f.profile, f.requirement), GENERATOR_ID_MAX),
        "AwsAccountId": account,
        "Types": [FINDING_TYPE],
        "CreatedAt": report.started_at,
        "UpdatedAt": report.started_at,
        "Severity": severity,
        "Title": clip(&title, TITLE_MAX),
        "Description": clip(&description, DESCRIPTION_MAX),
        "Resources": [resource(f, account, partition)],
        "Compliance": {
            "Status": compliance,
            "RelatedRequirements": [format!("{}/{}", f.profile, f.requirement)],
        },
        "Workflow": { "Status": workflow },
        "RecordState": record,
        "ProductFields": product_fields(report, index, f),
        "FindingProviderFields": { "Severity": severity, "Types": [FINDING_TYPE] },
    })
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// The finding's resource; for a finding without one, the account, as Security
/// Hub's own account-level findings name it (`AwsAccount`, `AWS::::Account:ID`).
fn resource(f: &Finding, account: &str, partition: Partition) -> Value {
    let mut r = Map::new();
    match &f.resource {
        Some(id) => {
            r.insert("Type".into(), resource_type(f.kind).into());
            r.insert("Id".into(), id.clone().into());
        }
        None => {
            r.insert("Type".into(), "AwsAccount".into());
            r.insert("Id".into(), format!("AWS::::Account:{account}").into());
        }
    }
    let part = f
        .resource
        .as_deref()
        .and_then(Partition::of_arn)
        .or_else(|| f.region.as_deref().map(Partition::of_region))
        .unwrap_or(partition);
    if RESOURCE_PARTITIONS.contains(&part.name) {
        r.insert("Partition".into(), part.name.into());
    }
    if let Some(region) = &f.region {
        r.insert("Region".into(), region.clone().into());
    }
    Value::Object(r)
}

/// What ASFF has no field for, as `driftwatch/...` string pairs (at most 6 of the
/// 50 allowed, each value clipped to 2048 characters).
fn product_fields(report: &Report, index: usize, f: &Finding) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(clip(k, PRODUCT_FIELD_KEY_MAX), clip(&v, PRODUCT_FIELD_VALUE_MAX).into());
    };
    put("driftwatch/profile", f.profile.clone());
    put("driftwatch/requirement", f.requirement.clone());
    put("driftwatch/kind", f.kind.to_string());
    put("driftwatch/status", f.status.as_str().to_string());
    if let Some(w) = &f.waiver {
        let state = if w.expired { "expired" } else { "until" };
        put("driftwatch/waiver", format!("{} ({state} {}): {}", w.source, w.expires, w.reason));
    }
    if let Some(mark) = report.baseline.as_ref().and_then(|m| m.get(index)) {
        put("driftwatch/baseline", mark.as_str().to_string());
    }
    Value::Object(m)
}
