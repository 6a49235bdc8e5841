use super::*;
use std::collections::BTreeMap;

fn ids(n: usize) -> Vec<String> {
    // not in order, to show the selection sorts
    (0..n).map(|i| format!("{:012}", (i * 7_919_000_003 + 1) % 999_999_999_989)).collect()
}

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| map.get(name).cloned()
}

#[test]
fn shards_cover_every_account_once_balanced_and_stable() {
    let fleet = ids(50);
    for count in 1..=7u32 {
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        let mut sizes = Vec::new();
        for index in 0..count {
            let part = select(&fleet, ShardSpec { index, count });
            // the same fleet in another order gives the same shard
            let mut reversed = fleet.clone();
            reversed.reverse();
            assert_eq!(select(&reversed, ShardSpec { index, count }), part, "shard {index}/{count} is stable");
            sizes.push(part.len());
            for id in part {
                assert_eq!(seen.insert(id.clone(), index), None, "{id} in two shards of {count}");
            }
        }
        let mut all: Vec<String> = seen.into_keys().collect();
        let mut want = fleet.clone();
        want.sort();
        all.sort();
        assert_eq!(all, want, "every account in some shard of {count}");
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(max - min <= 1, "balanced for {count}: {sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), 50);
    }
}

#[test]
fn shard_selection_takes_every_nth_of_the_sorted_ids() {
    let fleet: Vec<String> = ["5", "3", "1", "4", "2", "3"].iter().map(|s| s.to_string()).collect();
    assert_eq!(select(&fleet, ShardSpec { index: 0, count: 2 }), ["1", "3", "5"]);
    assert_eq!(select(&fleet, ShardSpec { index: 1, count: 2 }), ["2", "4"]);
    assert_eq!(select(&fleet, ShardSpec { index: 4, count: 6 }), ["5"]);
    assert_eq!(select(&fleet, ShardSpec { index: 5, count: 6 }), Vec::<String>::new());
}

#[test]
fn shard_flag_parses_and_rejects_bad_values() {
    assert_eq!(parse_flag("0/3"), Ok(ShardSpec { index: 0, count: 3 }));
    assert_eq!(parse_flag(" 2 / 3 "), Ok(ShardSpec { index: 2, count: 3 }));
    assert_eq!(
        parse_flag("3/3"),
        Err("--shard 3/3: shard index 3 is not below the count 3 (indexes start at 0)".into())
    );
    assert_eq!(parse_flag("0/0"), Err("--shard 0/0: the shard count must be at least 1".into()));
    assert_eq!(parse_flag("1"), Err("--shard 1: expected I/N, like 0/3 (0-based index of N shards)".into()));
    assert_eq!(parse_flag("a/3"), Err("--shard a/3: the index is `a`; expected a whole number".into()));
    assert_eq!(parse_flag("1/-2"), Err("--shard 1/-2: the count is `-2`; expected a whole number".into()));
}

#[test]
fn shard_env_kubernetes_index_with_count_from_flag_or_env() {
    let spec = |index, count| Ok(Some(ShardSpec { index, count }));
    assert_eq!(resolve(None, None, env(&[])), Ok(None));
    assert_eq!(resolve(None, None, env(&[("JOB_COMPLETION_INDEX", "2"), ("DRIFTWATCH_SHARD_COUNT", "4")])), spec(2, 4));
    // the flag wins over the variable
    assert_eq!(
        resolve(None, Some(5), env(&[("JOB_COMPLETION_INDEX", "2"), ("DRIFTWATCH_SHARD_COUNT", "4")])),
        spec(2, 5)
    );
    assert_eq!(
        resolve(None, None, env(&[("JOB_COMPLETION_INDEX", "1")])),
        Err("JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job) but not the shard count: pass --shard-count \
             or set DRIFTWATCH_SHARD_COUNT to the Job's .spec.completions"
            .into())
    );
    assert_eq!(
        resolve(None, None, env(&[("JOB_COMPLETION_INDEX", "4"), ("DRIFTWATCH_SHARD_COUNT", "4")])),
        Err("JOB_COMPLETION_INDEX=4 with DRIFTWATCH_SHARD_COUNT=4: shard index 4 is not below the count 4 \
             (indexes start at 0)"
            .into())
    );
    assert_eq!(
        resolve(None, None, env(&[("JOB_COMPLETION_INDEX", "x"), ("DRIFTWATCH_SHARD_COUNT", "4")])),
        Err("JOB_COMPLETION_INDEX is `x`; expected a whole number".into())
    );
    assert_eq!(
        resolve(None, None, env(&[("JOB_COMPLETION_INDEX", "0"), ("DRIFTWATCH_SHARD_COUNT", "four")])),
        Err("DRIFTWATCH_SHARD_COUNT is `four`; expected a whole number".into())
    );
    // an empty variable is unset
    assert_eq!(resolve(None, None, env(&[("JOB_COMPLETION_INDEX", ""), ("DRIFTWATCH_SHARD_COUNT", "4")])), Ok(None));
}

#[test]
fn shard_env_aws_batch_index_and_size() {
    let spec = |index, count| Ok(Some(ShardSpec { index, count }));
    let batch = [("AWS_BATCH_JOB_ARRAY_INDEX", "3"), ("AWS_BATCH_JOB_ARRAY_SIZE", "10")];
    assert_eq!(resolve(None, None, env(&batch)), spec(3, 10));
    assert_eq!(resolve(None, Some(4), env(&batch)), spec(3, 4));
    let with_count = [batch[0], batch[1], ("DRIFTWATCH_SHARD_COUNT", "5")];
    assert_eq!(resolve(None, None, env(&with_count)), spec(3, 5));
    assert_eq!(
        resolve(None, None, env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "3")])),
        Err("AWS_BATCH_JOB_ARRAY_INDEX is set (AWS Batch array job) but not AWS_BATCH_JOB_ARRAY_SIZE: pass \
             --shard-count or set DRIFTWATCH_SHARD_COUNT"
            .into())
    );
    assert_eq!(
        resolve(None, None, env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "10"), ("AWS_BATCH_JOB_ARRAY_SIZE", "10")])),
        Err("AWS_BATCH_JOB_ARRAY_INDEX=10 with AWS_BATCH_JOB_ARRAY_SIZE=10: shard index 10 is not below the \
             count 10 (indexes start at 0)"
            .into())
    );
}

#[test]
fn shard_precedence_flag_then_kubernetes_then_batch() {
    let all = [
        ("JOB_COMPLETION_INDEX", "1"),
        ("DRIFTWATCH_SHARD_COUNT", "2"),
        ("AWS_BATCH_JOB_ARRAY_INDEX", "5"),
        ("AWS_BATCH_JOB_ARRAY_SIZE", "6"),
    ];
    assert_eq!(resolve(Some("0/7"), None, env(&all)), Ok(Some(ShardSpec { index: 0, count: 7 })));
    assert_eq!(resolve(None, None, env(&all)), Ok(Some(ShardSpec { index: 1, count: 2 })));
    assert_eq!(
        resolve(None, Some(3), env(&[])),
        Err("--shard-count needs a shard index: --shard I/N, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX".into())
    );
    // a count alone in the environment (no index) audits the whole fleet
    assert_eq!(resolve(None, None, env(&[("DRIFTWATCH_SHARD_COUNT", "3")])), Ok(None));
}
