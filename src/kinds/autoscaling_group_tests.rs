//! Evaluation tests of autoscaling_group over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn autoscaling_group_bounds_and_launch_source() {
    let r = req(
        "autoscaling.group",
        "[requirement.expect]\nmin_size = { at_least = 2 }\nlaunch_template = true\nsubnets = { at_least = 2 }",
    );
    let group = |name: &str, min: i32, lt: Option<&str>, lc: Option<&str>| AutoScalingGroup {
        name: name.into(),
        arn: format!("arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x:autoScalingGroupName/{name}"),
        region: "us-east-1".into(),
        min_size: min,
        max_size: 4,
        desired: min,
        launch_template: lt.map(str::to_string),
        launch_configuration: lc.map(str::to_string),
        instance_types: vec![],
        subnets: vec!["subnet-a".into(), "subnet-b".into()],
        tags: Observed::Known(BTreeMap::new()),
    };
    let groups = vec![group("a", 2, Some("lt-1"), None), group("b", 1, None, Some("lc-1"))];
    let f = evaluate(&[r], &Inventory { autoscaling_groups: one_region(groups), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "launch_template"), "launch configuration lc-1");
    assert_eq!(observed(&f[1], "min_size"), 1);
}
