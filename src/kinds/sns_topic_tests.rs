//! Evaluation tests of sns_topic over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn sns_topic_counts_the_alarms_that_notify_it() {
    let arn = "arn:aws:sns:us-east-1:1:alerts";
    let topic = |name: &str| Topic {
        name: name.into(),
        arn: format!("arn:aws:sns:us-east-1:1:{name}"),
        region: "us-east-1".into(),
        kms_key: Observed::default(),
        tags: Observed::default(),
    };
    let r = req("sns.topic", "min_count = 1\n[requirement.expect]\nalarms = { at_least = 2 }");
    let mut inv = Inventory {
        topics: one_region(vec![topic("alerts"), topic("quiet")]),
        alarms: one_region(vec![
            alarm("cpu", "CPUUtilization", "GreaterThanOrEqualToThreshold", 70.0, &[arn]),
            alarm("5xx", "HTTPCode_ELB_5XX_Count", "GreaterThanThreshold", 10.0, &[arn]),
            alarm("mute", "NetworkIn", "GreaterThanThreshold", 1.0, &[]),
        ]),
        ..Default::default()
    };
    let f = evaluate(std::slice::from_ref(&r), &inv);
    assert_eq!(statuses(&f), [(Some(arn), Status::Pass), (Some("arn:aws:sns:us-east-1:1:quiet"), Status::Drift)]);
    assert_eq!(observed(&f[0], "alarms"), &serde_json::json!(["cpu", "5xx"]));
    inv.alarms.insert("us-east-1".into(), Observed::Unknown(denied("DescribeAlarms")));
    let f = evaluate(&[r], &inv);
    assert!(f.iter().all(|x| x.status == Status::Unknown), "{f:?}");
}
