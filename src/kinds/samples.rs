//! One fully observed resource of each kind that has compared fields, in
//! us-east-1, for the test that walks the registry: every number, string and list
//! field of it has a value the comparisons can be tried on.

use crate::inventory::*;
use crate::kinds::fixtures::*;
use std::collections::BTreeMap;

fn listener() -> Listener {
    Listener {
        arn: "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web/1/443".into(),
        protocol: Some("HTTPS".into()),
        port: Some(443),
        ssl_policy: Some("ELBSecurityPolicy-TLS13-1-2-2021-06".into()),
        ssl_protocols: Observed::Known(vec!["TLSv1.2".into(), "TLSv1.3".into()]),
        actions: vec!["forward".into()],
        redirect_protocol: None,
    }
}

/// A network whose VPC `vpc-p` (Name `main`) has one public and two private subnets.
fn network() -> Network {
    let mut net = network_with_public_subnet("subnet-pub", &["subnet-a", "subnet-b"]);
    net.vpcs = Observed::Known(vec![vpc("us-east-1", "vpc-p", "main", "10.0.0.0/16")]);
    net
}

fn empty_network() -> Network {
    Network {
        vpcs: Observed::Known(vec![]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![]),
        subnets: Observed::Known(vec![]),
        flow_logs: Observed::Known(vec![]),
    }
}

fn in_east(net: Network) -> BTreeMap<String, Network> {
    BTreeMap::from([("us-east-1".to_string(), net), ("us-west-2".to_string(), empty_network())])
}

/// The inventory holding the sample resource of `kind`; `None` for kinds without one.
pub(crate) fn inventory(kind: &str) -> Option<Inventory> {
    let none = || Inventory::default();
    Some(match kind {
        "acm.certificate" => {
            let mut c = cert("example.com", Some("_x.example.com"), Observed::Known(Some(true)));
            // half a day off a whole number of days: the day count cannot tip while the test runs
            let now =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
            c.not_after = Some(now + 40 * 86_400 + 43_200);
            Inventory { certificates: one_region(vec![c]), ..none() }
        }
        "autoscaling.group" => {
            let g = AutoScalingGroup {
                name: "web".into(),
                arn: "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x:autoScalingGroupName/web".into(),
                region: "us-east-1".into(),
                min_size: 2,
                max_size: 6,
                desired: 3,
                launch_template: Some("lt-1".into()),
                launch_configuration: None,
                instance_types: vec!["t3.micro".into(), "t3a.micro".into()],
                subnets: vec!["subnet-a".into(), "subnet-b".into(), "subnet-c".into()],
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { autoscaling_groups: one_region(vec![g]), ..none() }
        }
        "cloudfront.distribution" => Inventory {
            distributions: Some(Observed::Known(vec![distribution(Observed::Known(None), None)])),
            ..none()
        },
        "cloudtrail.trail" => {
            Inventory { trails: one_region(vec![trail("main", false, Observed::Known(true))]), ..none() }
        }
        "cloudwatch.alarm" => Inventory {
            alarms: one_region(vec![alarm("cpu", "CPUUtilization", "GreaterThanOrEqualToThreshold", 70.0, &["t"])]),
            ..none()
        },
        "config.rule" => {
            let r = ConfigRule {
                name: "public-read".into(),
                arn: "arn:aws:config:us-east-1:1:config-rule/public-read".into(),
                region: "us-east-1".into(),
                owner: Some("AWS".into()),
                source_identifier: Some("S3_BUCKET_PUBLIC_READ_PROHIBITED".into()),
                state: Some("ACTIVE".into()),
                recorder_on: Observed::Known(true),
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { config_rules: one_region(vec![r]), ..none() }
        }
        "dynamodb.table" => {
            let t = Table {
                name: "orders".into(),
                arn: "arn:aws:dynamodb:us-east-1:1:table/orders".into(),
                region: "us-east-1".into(),
                sse_type: Some("KMS".into()),
                kms_key: Some("arn:aws:kms:us-east-1:1:key/k".into()),
                key_manager: Observed::Known(Some("CUSTOMER".into())),
                point_in_time_recovery: Observed::Known(true),
                deletion_protection: Some(true),
                tags: Observed::Known(BTreeMap::new()),
                replicas: vec![Replica { region: "us-west-2".into(), status: Some("ACTIVE".into()) }],
                unread: None,
            };
            Inventory { tables: one_region(vec![t]), ..none() }
        }
        "ec2.instance" => {
            let i = Instance {
                id: "i-1".into(),
                region: "us-east-1".into(),
                owner: Some("1".into()),
                instance_type: Some("t3.micro".into()),
                state: Some("running".into()),
                subnet_id: Some("subnet-a".into()),
                public_ip: None,
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { instances: one_region(vec![i]), networks: in_east(network()), ..none() }
        }
        "ec2.route_table" | "ec2.vpc" => Inventory { networks: in_east(network()), ..none() },
        "elbv2.listener" | "elbv2.load_balancer" => {
            let lb = LoadBalancer {
                name: "web".into(),
                arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1".into(),
                region: "us-east-1".into(),
                lb_type: Some("application".into()),
                scheme: Some("internet-facing".into()),
                listeners: Observed::Known(vec![listener()]),
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { load_balancers: one_region(vec![lb]), ..none() }
        }
        "iam.role" | "iam.user" | "iam.group" => {
            let kind = match kind {
                "iam.role" => Principal::Role,
                "iam.user" => Principal::User,
                _ => Principal::Group,
            };
            let mut p = principal(kind, "app");
            p.attached = vec![AttachedPolicy {
                name: "ReadOnlyAccess".into(),
                arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            }];
            with_iam(vec![p], Observed::Known(BTreeMap::new()))
        }
        "kms.key" => {
            let policy = serde_json::json!({"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]});
            Inventory { kms_keys: one_region(vec![key("app", Observed::Known(true), policy)]), ..none() }
        }
        "lambda.function" => {
            let f = Function {
                name: "api".into(),
                arn: "arn:aws:lambda:us-east-1:1:function:api".into(),
                region: "us-east-1".into(),
                runtime: Some("python3.12".into()),
                kms_key: Some("arn:aws:kms:us-east-1:1:key/k".into()),
                has_environment: true,
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { functions: one_region(vec![f]), ..none() }
        }
        "logs.log_group" => Inventory { log_groups: one_region(vec![log_group("/app", Some(30))]), ..none() },
        "rds.instance" => {
            let d = DbInstance {
                id: "orders".into(),
                arn: "arn:aws:rds:us-east-1:1:db:orders".into(),
                region: "us-east-1".into(),
                engine: Some("postgres".into()),
                storage_encrypted: Some(true),
                publicly_accessible: Some(false),
                backup_retention_days: Some(7),
                deletion_protection: Some(true),
                multi_az: Some(true),
                read_replicas: vec!["arn:aws:rds:us-west-2:1:db:orders-replica".into()],
                subnets: vec!["subnet-a".into()],
                tags: Observed::Known(BTreeMap::new()),
                cluster_id: None,
                cluster: None,
            };
            Inventory { db_instances: one_region(vec![d]), networks: in_east(network()), ..none() }
        }
        "route53.record" => {
            let r = RecordSet {
                zone_id: "Z1".into(),
                zone_name: "example.com".into(),
                private_zone: false,
                name: "example.com".into(),
                record_type: "A".into(),
                alias_target: Some("d111111abcdef8.cloudfront.net".into()),
                values: vec![],
            };
            Inventory { records: Some(Observed::Known(vec![r])), ..none() }
        }
        "s3.bucket" => with_buckets(vec![bucket("prod-data")]),
        "secretsmanager.secret" => {
            Inventory { secrets: one_region(vec![secret("db", true, Some(30), None)]), ..none() }
        }
        "sns.topic" => {
            let arn = "arn:aws:sns:us-east-1:1:alerts";
            let t = Topic {
                name: "alerts".into(),
                arn: arn.into(),
                region: "us-east-1".into(),
                kms_key: Observed::Known(None),
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory {
                topics: one_region(vec![t]),
                alarms: one_region(vec![
                    alarm("cpu", "CPUUtilization", "GreaterThanThreshold", 70.0, &[arn]),
                    alarm("5xx", "HTTPCode_ELB_5XX_Count", "GreaterThanThreshold", 10.0, &[arn]),
                ]),
                ..none()
            }
        }
        "sqs.queue" => {
            let q = Queue {
                name: "orders".into(),
                url: "https://sqs.us-east-1.amazonaws.com/1/orders".into(),
                arn: "arn:aws:sqs:us-east-1:1:orders".into(),
                region: "us-east-1".into(),
                attributes: Observed::Known(QueueAttributes {
                    sse_sqs: Some(false),
                    kms_key: Some("arn:aws:kms:us-east-1:1:key/abc".into()),
                    redrive_policy: Some(
                        serde_json::json!({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:orders-dlq"}),
                    ),
                    policy: None,
                    retention_seconds: Some(4 * 86_400),
                }),
                key_manager: Observed::Known(Some("CUSTOMER".into())),
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory { queues: one_region(vec![q]), ..none() }
        }
        "wafv2.web_acl" => {
            let group = |g: &str| ManagedGroupUse {
                rule: g.to_string(),
                group: g.to_string(),
                version: None,
                top_level: true,
                override_action: Some("None".into()),
                rule_overrides: BTreeMap::new(),
                group_rules: None,
            };
            let acl = WebAcl {
                name: "edge".into(),
                id: "edge".into(),
                arn: "arn:aws:wafv2:us-east-1:1:regional/webacl/edge/x".into(),
                scope: "REGIONAL".into(),
                region: "us-east-1".into(),
                managed_groups: Observed::Known(vec![
                    group("AWS:AWSManagedRulesCommonRuleSet"),
                    group("AWS:AWSManagedRulesKnownBadInputsRuleSet"),
                ]),
                rate_rules: Observed::Known(vec![RateRule {
                    rule: "rate".into(),
                    limit: 2000,
                    action: Some("Block".into()),
                    top_level: true,
                }]),
                logging: Observed::Known(true),
                tags: Observed::Known(BTreeMap::new()),
            };
            Inventory {
                web_acls: BTreeMap::from([
                    ("REGIONAL:us-east-1".into(), Observed::Known(vec![acl])),
                    ("REGIONAL:us-west-2".into(), Observed::Known(vec![])),
                    ("CLOUDFRONT:us-east-1".into(), Observed::Known(vec![])),
                ]),
                ..none()
            }
        }
        _ => return None,
    })
}
