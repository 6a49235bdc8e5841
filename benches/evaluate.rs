//! Micro-benchmark: evaluation and reporting of a large generated inventory.
//!
//!     cargo bench --bench evaluate [-- RESOURCES]
//!
//! Builds an inventory of RESOURCES resources (default 100,000: buckets, roles and
//! alarms in equal parts, half of each drifting), evaluates a profile that reads all
//! of them, and renders the JSON and table reports. Prints the best and median of 5
//! runs of each step. The target (issue 7) is well under a second for 100,000.

use driftwatch::compare::evaluate;
use driftwatch::inventory::*;
use driftwatch::report::{render, Format, Report, Style};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const PROFILE: &str = r#"
[profile]
name = "bench"
regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"]

[[requirement]]
id = "s3"
kind = "s3.bucket"
severity = "high"
select = { name_prefix = "bench-" }
[requirement.expect]
encryption = "kms"
versioning = true
public_access_block = true
required_tags = { Environment = "Production" }

[[requirement]]
id = "iam"
kind = "iam.role"
severity = "critical"
[requirement.expect]
forbid_policies = ["arn:aws:iam::aws:policy/AdministratorAccess"]

[[requirement]]
id = "alarms"
kind = "cloudwatch.alarm"
severity = "medium"
[requirement.expect]
metric_name = "CPUUtilization"
comparison = ">="
threshold = 70
alarm_actions = true
"#;

const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"];

fn inventory(resources: usize) -> Inventory {
    let third = resources / 3;
    let buckets = (0..third)
        .map(|i| {
            let good = i % 2 == 0;
            Bucket {
                name: format!("bench-{i:06}"),
                arn: format!("arn:aws:s3:::bench-{i:06}"),
                region: Observed::Known(REGIONS[i % 4].to_string()),
                encryption: Observed::Known(Some(BucketEncryption {
                    algorithm: if good { "aws:kms" } else { "AES256" }.into(),
                    kms_key: None,
                    bucket_key: false,
                })),
                versioning: Observed::Known(good.then(|| "Enabled".to_string())),
                public_access_block: Observed::Known(good.then_some(PublicAccessBlock {
                    block_public_acls: true,
                    ignore_public_acls: true,
                    block_public_policy: true,
                    restrict_public_buckets: true,
                })),
                logging_target: Observed::default(),
                replication: Observed::default(),
                tags: Observed::Known(BTreeMap::from([("Environment".into(), "Production".into())])),
                acl_grants: Observed::default(),
                policy: Observed::default(),
                policy_status: Observed::default(),
            }
        })
        .collect();
    let principals = (0..third)
        .map(|i| IamPrincipal {
            kind: Principal::Role,
            name: format!("role-{i:06}"),
            path: "/".into(),
            arn: format!("arn:aws:iam::123456789012:role/role-{i:06}"),
            attached: if i % 2 == 0 {
                vec![AttachedPolicy {
                    name: "AdministratorAccess".into(),
                    arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
                }]
            } else {
                vec![]
            },
            inline: vec![],
            trust_policy: None,
            mfa_devices: Observed::default(),
            tags: Observed::default(),
        })
        .collect();
    let mut alarms: BTreeMap<String, Vec<Alarm>> = BTreeMap::new();
    for i in 0..(resources - 2 * third) {
        let region = REGIONS[i % 4];
        alarms.entry(region.into()).or_default().push(Alarm {
            name: format!("cpu-{i:06}"),
            arn: format!("arn:aws:cloudwatch:{region}:123456789012:alarm:cpu-{i:06}"),
            region: region.into(),
            namespace: Some("AWS/EC2".into()),
            metric_name: Some("CPUUtilization".into()),
            statistic: Some("Average".into()),
            comparison: Some("GreaterThanOrEqualToThreshold".into()),
            threshold: Some(if i % 2 == 0 { 70.0 } else { 90.0 }),
            dimensions: BTreeMap::new(),
            actions_enabled: Some(true),
            alarm_actions: vec![format!("arn:aws:sns:{region}:123456789012:alerts")],
            tags: Observed::default(),
        });
    }
    Inventory {
        buckets: Some(Observed::Known(buckets)),
        s3_account_block: Some(Observed::Known(None)),
        iam: Some(Iam { principals: Observed::Known(principals), local_policies: Observed::Known(BTreeMap::new()) }),
        alarms: alarms.into_iter().map(|(r, a)| (r, Observed::Known(a))).collect(),
        ..Default::default()
    }
}

/// Counts the bytes a report writes and keeps none of them: the benchmark measures
/// producing the report, not the page faults of a 90 MiB buffer or a disk.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += std::hint::black_box(buf).len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        // the previous result is freed outside the timed part, as a real run exits
        // without freeing its findings
        last = Some(out);
    }
    times.sort();
    (times[0], times[runs / 2], last.expect("at least one run"))
}

fn main() {
    let resources: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let mut profile = driftwatch::profile::parse("bench.toml", PROFILE).expect("bench profile");
    profile.resolve_regions(&[], "us-east-1");
    let build = Instant::now();
    let inv = inventory(resources);
    println!("inventory of {resources} resources built in {:?}", build.elapsed());

    let (best, median, findings) = timed(5, || evaluate(&profile.requirements, &inv));
    println!("evaluate: {} findings, best {best:?}, median {median:?}", findings.len());
    let report = Report {
        account: Some("123456789012".into()),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        profiles: vec!["bench".into()],
        started_at: "2026-01-01T00:00:00Z".into(),
        duration_ms: 0,
        ..Report::of(findings)
    };
    for (name, format) in [("json", Format::Json), ("table", Format::Table)] {
        let (best, median, bytes) = timed(5, || {
            let mut out = Counted(0);
            render(&report, format, &Style::plain(), &mut out).expect("render");
            out.0
        });
        println!("render {name}: {} MiB, best {best:?}, median {median:?}", bytes >> 20);
    }
}
