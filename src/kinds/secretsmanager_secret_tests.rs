//! Evaluation tests of secretsmanager_secret over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn secretsmanager_rotation_schedule_and_unevaluated_cron() {
    let r = req("secretsmanager.secret", "[requirement.expect]\nrotation = true\nrotation_days = { at_most = 30 }");
    let inv = Inventory {
        secrets: one_region(vec![
            secret("days-ok", true, Some(30), None),
            secret("days-long", true, Some(90), None),
            secret("rate-ok", true, None, Some("rate(12 hours)")),
            secret("cron", true, None, Some("cron(0 8 1 * ? *)")),
            secret("off", false, None, None),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    let got: Vec<(&str, Status)> = f.iter().map(|x| (short(x), x.status)).collect();
    assert_eq!(
        got,
        [
            ("cron", Status::Unknown),
            ("days-long", Status::Drift),
            ("days-ok", Status::Pass),
            ("off", Status::Drift),
            ("rate-ok", Status::Pass)
        ]
    );
    let off = f.iter().find(|x| short(x) == "off").unwrap();
    assert_eq!(observed(off, "rotation"), false);
    assert_eq!(observed(off, "rotation_days"), "rotation off");
}
