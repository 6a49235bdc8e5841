//! Evaluation tests of ec2_route_table over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn route_tables_by_vpc_leave_out_the_main_table_unless_asked() {
    let prod = vpc("us-east-1", "vpc-p", "PROD-vpc-main-us-east-1", "10.0.0.0/16");
    let dev = vpc("us-east-1", "vpc-d", "dev", "10.1.0.0/16");
    let tagged = |id: &str, vpc: &Vpc, main: bool, tags: &[(&str, &str)]| RouteTable {
        id: id.into(),
        vpc_id: vpc.id.clone(),
        main,
        tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    let tables = vec![
        tagged("rtb-main", &prod, true, &[]),
        tagged("rtb-pub", &prod, false, &[("Name", "PROD-rt-public-us-east-1"), ("Environment", "Production")]),
        tagged("rtb-priv", &prod, false, &[]),
        tagged("rtb-dev", &dev, false, &[]),
    ];
    let net = Network {
        vpcs: Observed::Known(vec![prod, dev]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(tables),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: BTreeMap::from([("us-east-1".to_string(), net.clone()), ("us-west-2".to_string(), net)]),
        ..Default::default()
    };
    let body = "select = { regions = [\"us-east-1\"] }\n[requirement.expect]\nvpc = \"PROD-vpc-*\"\nrequired_tags = { Environment = \"Production\" }";
    let f = evaluate(&[req("ec2.route_table", body)], &inv);
    let got: Vec<(&str, Status)> = f.iter().map(|x| (short(x), x.status)).collect();
    assert_eq!(got, [("rtb-priv", Status::Drift), ("rtb-pub", Status::Pass)]);
    let f = evaluate(&[req("ec2.route_table", &format!("{body}\ninclude_main = true"))], &inv);
    assert_eq!(f.len(), 3);
    assert!(f.iter().any(|x| short(x) == "rtb-main" && x.status == Status::Drift));
}
