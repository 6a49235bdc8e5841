//! Evaluation tests of lambda_function over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn lambda_function_runtime_and_cmk() {
    let r = req("lambda.function", "[requirement.expect]\nruntime = \"python3.12\"\nenv_encrypted_with_cmk = true");
    let function = |name: &str, runtime: &str, key: Option<&str>| Function {
        name: name.into(),
        arn: format!("arn:aws:lambda:us-east-1:1:function:{name}"),
        region: "us-east-1".into(),
        runtime: Some(runtime.into()),
        kms_key: key.map(str::to_string),
        has_environment: true,
        tags: Observed::Known(BTreeMap::new()),
    };
    let fs = vec![function("a", "python3.12", Some("arn:aws:kms:us-east-1:1:key/k")), function("b", "python3.9", None)];
    let f = evaluate(&[r], &Inventory { functions: one_region(fs), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "runtime"), "python3.9");
}
