//! Evaluation tests of cloudwatch_alarm over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn cloudwatch_alarm_candidates_by_metric_then_checked() {
    let r = req(
        "cloudwatch.alarm",
        "min_count = 1\n[requirement.expect]\nnamespace = \"AWS/EC2\"\nmetric_name = \"CPUUtilization\"\ndimensions = { AutoScalingGroupName = \"*\" }\ncomparison = \">=\"\nthreshold = 70\nstatistic = \"Average\"\nactions_enabled = true\nalarm_actions = true",
    );
    let alarms = vec![
        alarm("good", "CPUUtilization", "GreaterThanOrEqualToThreshold", 70.0, &["arn:aws:sns:us-east-1:1:t"]),
        alarm("bad", "CPUUtilization", "GreaterThanThreshold", 90.0, &[]),
        alarm("other", "NetworkIn", "GreaterThanThreshold", 1.0, &[]),
    ];
    let inv = Inventory {
        alarms: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(alarms)),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:cloudwatch:us-east-1:1:alarm:bad"), Status::Drift),
            (Some("arn:aws:cloudwatch:us-east-1:1:alarm:good"), Status::Pass)
        ]
    );
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["comparison", "threshold", "alarm_actions"]);
}

#[test]
fn cloudwatch_alarm_none_on_metric_with_min_count_drifts() {
    let r = req(
        "cloudwatch.alarm",
        "match = \"any\"\nmin_count = 1\n[requirement.expect]\nmetric_name = \"CPUUtilization\"\nthreshold = 70",
    );
    let inv = Inventory {
        alarms: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert_eq!(observed(&f[0], "count"), 0);
}
