use super::*;

const VALID: &str = r#"[profile]
name = "prod-webapp"
description = "Production web app stack"
regions = ["us-east-1", "us-west-2"]

[[requirement]]
id = "s3-private-kms"
kind = "s3.bucket"
severity = "high"
select = { name_prefix = "prod-", tags = { Env = "*" } }
min_count = 1
[requirement.expect]
encryption = "aws:kms"
versioning = true

[[requirement]]
id = "cpu"
kind = "cloudwatch.alarm"
match = "any"
[requirement.expect]
comparison = ">="
threshold = 70
"#;

/// The one diagnostic of an invalid profile, as printed.
fn error(text: &str) -> String {
    let d = parse("p.toml", text).expect_err("profile should be rejected").0;
    assert_eq!(d.len(), 1, "{d:?}");
    d[0].to_string()
}

#[test]
fn profile_valid_parses_with_defaults() {
    let p = parse("p.toml", VALID).unwrap();
    assert_eq!(p.name, "prod-webapp");
    assert_eq!(p.regions, ["us-east-1", "us-west-2"]);
    let s3 = &p.requirements[0];
    assert_eq!(s3.kind.name, "s3.bucket");
    assert_eq!(s3.severity, Severity::High);
    assert_eq!(s3.match_mode, MatchMode::All);
    assert_eq!(s3.min_count, Some(1));
    assert_eq!(s3.select.name_prefix.as_deref(), Some("prod-"));
    assert_eq!(s3.select.tags.get("Env").map(String::as_str), Some("*"));
    assert_eq!(s3.expect.cmp("encryption"), Some(&Comparison::Text("aws:kms".into())));
    assert_eq!(s3.expect.bool("versioning"), Some(true));
    let cpu = &p.requirements[1];
    assert_eq!(cpu.severity, Severity::Medium);
    assert_eq!(cpu.match_mode, MatchMode::Any);
    // ">=" is stored as the AWS operator name; an integer threshold as a number
    assert_eq!(cpu.expect.text("comparison"), Some("GreaterThanOrEqualToThreshold"));
    assert_eq!(cpu.expect.cmp("threshold"), Some(&Comparison::Number(70.0)));
}

#[test]
fn profile_regions_resolve_selector_then_cli_then_profile() {
    let mut p = parse("p.toml", VALID).unwrap();
    p.requirements[1].select.regions = Some(vec!["eu-west-1".into()]);
    p.resolve_regions(&[], "ap-south-1");
    assert_eq!(p.requirements[0].regions, ["us-east-1", "us-west-2"]);
    assert_eq!(p.requirements[1].regions, ["eu-west-1"]);
    p.resolve_regions(&["ca-central-1".into()], "ap-south-1");
    assert_eq!(p.requirements[0].regions, ["ca-central-1"]);
    p.regions.clear();
    p.resolve_regions(&[], "ap-south-1");
    assert_eq!(p.requirements[0].regions, ["ap-south-1"]);
}

#[test]
fn profile_invalid_toml_is_located() {
    assert_eq!(
        error("[profile]\nname = \"x\"\nregions = [\"us-east-1\"\n"),
        "p.toml:4:1: invalid TOML: invalid array\nexpected `]`"
    );
}

#[test]
fn profile_unknown_top_level_key_is_located() {
    let text = "[profile]\nname = \"x\"\n\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n\n[extras]\nx = 1\n";
    assert_eq!(error(text), "p.toml:8:2: unknown top-level key `extras`; expected [profile] and [[requirement]]");
}

#[test]
fn profile_unknown_requirement_key_is_located() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nseverty = \"high\"\n";
    assert_eq!(
        error(text),
        "p.toml:6:1: unknown key `severty` in [[requirement]]; expected id, kind, severity, description, select, match, min_count, expect"
    );
}

#[test]
fn profile_unknown_kind_suggests_the_closest() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.buckets\"\n";
    assert_eq!(
        error(text),
        "p.toml:5:8: unknown kind `s3.buckets` (did you mean `s3.bucket`?); `driftwatch kinds` lists them"
    );
}

#[test]
fn profile_unknown_expect_field_is_located_with_hint() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n[requirement.expect]\nencrypton = \"AES256\"\n";
    let e = error(text);
    assert!(e.starts_with("p.toml:7:1: unknown field `encrypton` for kind s3.bucket (did you mean `encryption`?); its fields are: encryption, "), "{e}");
}

#[test]
fn profile_wrong_type_is_located_at_the_value() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nexpect = { versioning = \"yes\" }\n";
    assert_eq!(error(text), "p.toml:6:25: expect.versioning must be a boolean, found a string");
}

#[test]
fn profile_value_outside_enum_lists_options() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nexpect = { encryption = \"SSE\" }\n";
    assert_eq!(
        error(text),
        "p.toml:6:25: expect.encryption is `SSE`; expected one of: AES256, aws:kms, aws:kms:dsse, kms"
    );
}

#[test]
fn profile_bad_comparison_is_rejected() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"cloudwatch.alarm\"\nexpect = { comparison = \"=>\" }\n";
    assert_eq!(
        error(text),
        "p.toml:6:25: expect.comparison is `=>`; expected >=, >, <=, < or an AWS ComparisonOperator name"
    );
}

#[test]
fn profile_duplicate_id_points_at_the_second() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\n";
    assert_eq!(error(text), "p.toml:7:6: duplicate requirement id `a`");
}

#[test]
fn profile_without_requirements_is_rejected() {
    assert_eq!(error("[profile]\nname = \"x\"\n"), "p.toml:1:1: the profile declares no [[requirement]]");
}

#[test]
fn profile_without_header_is_rejected() {
    assert_eq!(
        error("[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n"),
        "p.toml:1:1: missing the [profile] table (with at least `name`)"
    );
}

#[test]
fn profile_bad_region_is_located() {
    let text = "[profile]\nname = \"x\"\nregions = [\"us-east-1\", \"useast2\"]\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n";
    assert_eq!(error(text), "p.toml:3:25: `useast2` is not an AWS region name (like us-east-1)");
}

#[test]
fn profile_mesh_needs_two_entries() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"m\"\nkind = \"ec2.vpc_peering\"\n[requirement.expect]\nmesh = [{ region = \"us-east-1\", vpc = { name = \"a\" } }]\n";
    assert_eq!(error(text), "p.toml:7:8: expect.mesh needs at least two entries to form a mesh");
}

#[test]
fn profile_mesh_is_required_for_peering() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"m\"\nkind = \"ec2.vpc_peering\"\n";
    assert_eq!(error(text), "p.toml:3:1: requirement `m` of kind ec2.vpc_peering needs expect.mesh");
}

#[test]
fn profile_tag_selector_on_kind_without_tags_is_rejected() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"route53.record\"\nselect = { tags = { A = \"b\" } }\n";
    assert_eq!(error(text), "p.toml:6:12: this kind's resources carry no tags to select on");
}

#[test]
fn profile_negative_min_count_is_rejected() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nmin_count = -1\n";
    assert_eq!(error(text), "p.toml:6:13: min_count must be a non-negative integer");
}

#[test]
fn profile_several_mistakes_are_all_reported() {
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"nope\"\n[[requirement]]\nid = \"b\"\nkind = \"s3.bucket\"\nexpect = { versioning = 1 }\n";
    let d = parse("p.toml", text).unwrap_err().0;
    let lines: Vec<usize> = d.iter().map(|x| x.line).collect();
    assert_eq!(lines, [5, 9]);
}

#[test]
fn profile_not_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, b"[profile]\nname = \"\xff\"\n").unwrap();
    let d = load(&path).unwrap_err().0;
    assert_eq!(d[0].line, 2);
    assert_eq!(d[0].col, 9);
    assert_eq!(d[0].message, "the profile is not valid UTF-8");
}

#[test]
fn profile_names_must_be_unique_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[profile]\nname = \"same\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\n";
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::fs::write(&a, body).unwrap();
    std::fs::write(&b, body).unwrap();
    let d = load_all(&[a.clone(), b.clone()]).unwrap_err().0;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, format!("profile name `same` is also used by {}", a.display()));
}

#[test]
fn glob_matches_stars_and_question_marks() {
    assert!(glob_match("prod-*", "prod-logs"));
    assert!(glob_match("*-logs-?", "prod-logs-1"));
    assert!(glob_match("*", ""));
    assert!(!glob_match("prod-*", "dev-prod-x"));
    assert!(!glob_match("a?c", "ac"));
    assert!(glob_match("a*b*c", "axxbyyc"));
}

#[test]
fn region_names_are_recognised() {
    for ok in ["us-east-1", "ap-south-1", "us-gov-west-1", "eu-central-2"] {
        assert!(is_region_name(ok), "{ok}");
    }
    for bad in ["useast1", "us-east", "US-EAST-1", "us--1", ""] {
        assert!(!is_region_name(bad), "{bad}");
    }
}

#[test]
fn name_pattern_placeholders_and_region() {
    let p = NamePattern::parse("PROD-{service}-{identifier}-{region}").unwrap();
    assert!(p.matches("PROD-vpc-main-us-east-1", Some("us-east-1")));
    assert!(p.matches("PROD-rds-orders-db-ap-south-1", Some("ap-south-1")));
    assert!(!p.matches("PROD-vpc-main-us-east-1", Some("us-west-2")), "{{region}} must be the resource's own region");
    assert!(!p.matches("prod-vpc-main-us-east-1", Some("us-east-1")));
    assert!(!p.matches("PROD-vpc-us-east-1", Some("us-east-1")), "each placeholder takes at least one character");
    assert!(p.matches("PROD-iam-deployer-us-west-2", None), "global resources: any region name");
    assert!(!p.matches("PROD-iam-deployer-global", None));
    let contains = NamePattern::parse("{a}prod{b}").unwrap();
    assert!(contains.matches("app-prod-bucket", None));
    assert!(!contains.matches("app-dev-bucket", None));
}

#[test]
fn name_pattern_mistakes_are_rejected() {
    assert_eq!(NamePattern::parse("a-{x").unwrap_err(), "has a `{` without its `}`");
    assert_eq!(NamePattern::parse("a}").unwrap_err(), "has a `}` without its `{`");
    assert_eq!(NamePattern::parse("{a}{b}").unwrap_err(), "needs literal text between two placeholders");
    assert_eq!(NamePattern::parse("{}").unwrap_err(), "placeholder `{}` must be a word like {service}");
    let text = "[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\nexpect = { name_pattern = \"prod-{x\" }\n";
    assert_eq!(error(text), "p.toml:6:27: expect.name_pattern `prod-{x` has a `{` without its `}`");
}

// ---- property tests: the loader never panics and always says where --------------

fn assert_located(text: &str) {
    if let Err(Diagnostics(d)) = parse("p.toml", text) {
        assert!(!d.is_empty(), "a rejection without a diagnostic for {text:?}");
        let max_line = text.split('\n').count() + 1;
        for x in &d {
            assert!(x.line >= 1 && x.line <= max_line && x.col >= 1, "{x} out of range for {text:?}");
            assert!(x.to_string().starts_with(&format!("p.toml:{}:{}: ", x.line, x.col)), "{x}");
            assert!(!x.message.trim().is_empty(), "empty message for {text:?}");
        }
    }
}

fn seeds() -> Vec<String> {
    let mut out = vec![VALID.to_string()];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/localstack/samples/core");
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        out.push(std::fs::read_to_string(e.path()).unwrap());
    }
    out
}

#[test]
fn profile_loader_arbitrary_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0xd71f);
    for _ in 0..3000 {
        let len = rng.usize(0..200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        assert_located(&String::from_utf8_lossy(&bytes));
    }
    let dir = tempfile::tempdir().unwrap();
    for i in 0..50 {
        let bytes: Vec<u8> = (0..rng.usize(0..100)).map(|_| rng.u8(..)).collect();
        let path = dir.path().join(format!("{i}.toml"));
        std::fs::write(&path, &bytes).unwrap();
        if let Err(Diagnostics(d)) = load(&path) {
            assert!(d.iter().all(|x| x.line >= 1 && x.col >= 1 && x.file == path.display().to_string()));
        }
    }
}

#[test]
fn profile_loader_arbitrary_toml_never_panics() {
    const HEADERS: &[&str] = &[
        "[profile]",
        "[[requirement]]",
        "[requirement.expect]",
        "[requirement.select]",
        "[[requirement.expect.mesh]]",
        "[profile.x]",
        "[[profile]]",
    ];
    const KEYS: &[&str] = &[
        "name",
        "id",
        "kind",
        "severity",
        "description",
        "select",
        "match",
        "min_count",
        "expect",
        "regions",
        "encryption",
        "versioning",
        "mesh",
        "tags",
        "name_prefix",
        "name_glob",
        "routes",
        "threshold",
        "comparison",
        "forbid_policies",
        "name_pattern",
        "zz",
        "requirement",
        "profile",
    ];
    const VALUES: &[&str] = &[
        "\"s3.bucket\"",
        "\"ec2.vpc_peering\"",
        "\"cloudwatch.alarm\"",
        "true",
        "1",
        "-3",
        "1.5",
        "\"aws:kms\"",
        "[\"us-east-1\"]",
        "[\"bad\"]",
        "{ name = \"x\" }",
        "{ tags = { A = \"*\" } }",
        "[{ region = \"us-east-1\", vpc = { name = \"a\" } }]",
        "[{ region = 1 }]",
        "\"\"",
        "1979-05-27T07:32:00Z",
        "nan",
        "inf",
        "[]",
        "{}",
        "\"PROD-{x}-{region}\"",
        "\"{\"",
        "\">=\"",
        "[1, \"a\"]",
    ];
    let mut rng = fastrand::Rng::with_seed(0x70a1);
    for _ in 0..4000 {
        let mut text = String::new();
        for _ in 0..rng.usize(0..16) {
            if rng.u8(0..4) == 0 {
                text.push_str(HEADERS[rng.usize(..HEADERS.len())]);
            } else {
                text.push_str(&format!("{} = {}", KEYS[rng.usize(..KEYS.len())], VALUES[rng.usize(..VALUES.len())]));
            }
            text.push('\n');
        }
        assert_located(&text);
    }
}

#[test]
fn profile_loader_mutated_profiles_never_panic() {
    const NOISE: &[char] =
        &['=', '[', ']', '{', '}', '"', '\'', ',', '.', '\n', ' ', '#', '\\', 'x', '1', '-', 'é', '\t'];
    let seeds = seeds();
    let mut rng = fastrand::Rng::with_seed(0x3ca7);
    for _ in 0..6000 {
        let seed = &seeds[rng.usize(..seeds.len())];
        let mut chars: Vec<char> = seed.chars().collect();
        for _ in 0..rng.usize(1..4) {
            if chars.is_empty() {
                break;
            }
            let at = rng.usize(..chars.len());
            match rng.u8(0..4) {
                0 => {
                    let end = (at + rng.usize(1..8)).min(chars.len());
                    chars.drain(at..end);
                }
                1 => chars.insert(at, NOISE[rng.usize(..NOISE.len())]),
                2 => chars[at] = NOISE[rng.usize(..NOISE.len())],
                _ => {
                    let text: String = chars.iter().collect();
                    let mut lines: Vec<&str> = text.split('\n').collect();
                    let (a, b) = (rng.usize(..lines.len()), rng.usize(..lines.len()));
                    lines.swap(a, b);
                    chars = lines.join("\n").chars().collect();
                }
            }
        }
        assert_located(&chars.iter().collect::<String>());
    }
}

fn with_select(kind: &str, select: &str) -> String {
    format!("[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"{kind}\"\nselect = {select}\n")
}

#[test]
fn profile_exclude_takes_a_table_or_a_list_of_tables() {
    let p = parse(
        "p.toml",
        &with_select("iam.role", "{ name_prefix = \"app-\", exclude = { path_prefix = \"/aws-service-role/\" } }"),
    )
    .unwrap();
    let s = &p.requirements[0].select;
    assert_eq!(s.exclude, [Selector { path_prefix: Some("/aws-service-role/".into()), ..Selector::default() }]);
    let p = parse("p.toml", &with_select("s3.bucket", "{ exclude = [{ name = \"a\" }, { tags = { Keep = \"*\" } }] }"))
        .unwrap();
    let s = &p.requirements[0].select;
    assert_eq!(s.exclude.len(), 2);
    assert_eq!(describe_selector(s), "not(name=a),not(tag:Keep=*)");
}

#[test]
fn profile_exclude_mistakes_are_located() {
    assert_eq!(
        error(&with_select("s3.bucket", "{ path_prefix = \"/x/\" }")),
        "p.toml:6:12: only IAM principals have a path to select on"
    );
    assert_eq!(
        error(&with_select("kms.key", "{ exclude = { regions = [\"us-east-1\"] } }")),
        "p.toml:6:24: unknown selector key `regions` in select.exclude; expected one of: name, name_prefix, name_glob, tags"
    );
    assert_eq!(
        error(&with_select("s3.bucket", "{ exclude = [{ name = \"a\" }, {}] }")),
        "p.toml:6:39: an exclude entry needs at least one key; an empty one would leave out everything"
    );
    assert_eq!(
        error(&with_select("iam.group", "{ exclude = { tags = { A = \"b\" } } }")),
        "p.toml:6:24: this kind's resources carry no tags to select on"
    );
}

const REQUIREMENT: &str =
    "\n[[requirement]]\nid = \"cpu\"\nkind = \"cloudwatch.alarm\"\n[requirement.expect]\nthreshold = 70\n";

#[test]
fn profile_accounts_scope_parses() {
    let text = format!(
        "[profile]\nname = \"prod\"\n\n[profile.accounts]\nids = [\"111122223333\", \"444455556666\"]\n\
         ous = [\"ou-ab12-cd34ef56\"]\ntags = {{ environment = \"prod\", tier = \"web\" }}\n{REQUIREMENT}"
    );
    let p = parse("p.toml", &text).unwrap();
    assert_eq!(
        p.accounts,
        Some(crate::fleet::AccountScope {
            ids: Some(vec!["111122223333".into(), "444455556666".into()]),
            ous: Some(vec!["ou-ab12-cd34ef56".into()]),
            tags: Some([("environment".to_string(), "prod".to_string()), ("tier".into(), "web".into())].into()),
        })
    );
    let text =
        format!("[profile]\nname = \"prod\"\naccounts = {{ tags = {{ environment = \"prod\" }} }}\n{REQUIREMENT}");
    let p = parse("p.toml", &text).unwrap();
    assert_eq!(
        p.accounts,
        Some(crate::fleet::AccountScope {
            ids: None,
            ous: None,
            tags: Some([("environment".to_string(), "prod".to_string())].into())
        })
    );
    assert_eq!(parse("p.toml", &format!("[profile]\nname = \"any\"\n{REQUIREMENT}")).unwrap().accounts, None);
}

#[test]
fn profile_accounts_scope_bad_shapes_are_located() {
    let head = "[profile]\nname = \"prod\"\n\n[profile.accounts]\n";
    let cases = [
        ("ids = [\"11112222333\"]\n", "p.toml:5:8: `11112222333` in accounts.ids is not an AWS account id (12 digits)"),
        (
            "ids = [\"111122223333\", 111122223333]\n",
            "p.toml:5:24: each entry of accounts.ids must be a string, found an integer",
        ),
        ("ids = \"111122223333\"\n", "p.toml:5:7: accounts.ids must be an array of strings, found a string"),
        ("ids = []\n", "p.toml:5:7: accounts.ids is empty: the profile would apply to no account"),
        (
            "ous = [\"r-ab12\"]\n",
            "p.toml:5:8: `r-ab12` in accounts.ous is not an organizational unit id (like ou-ab12-cd34ef56)",
        ),
        ("tags = { environment = 1 }\n", "p.toml:5:24: accounts.tags.environment must be a string, found an integer"),
        ("tags = {}\n", "p.toml:5:8: accounts.tags is empty; give at least one tag, e.g. { environment = \"prod\" }"),
        ("names = [\"prod\"]\n", "p.toml:5:1: unknown key `names` in [profile.accounts]; expected ids, ous, tags"),
    ];
    for (body, expected) in cases {
        assert_eq!(error(&format!("{head}{body}{REQUIREMENT}")), expected, "{body}");
    }
    assert_eq!(
        error(&format!("[profile]\nname = \"prod\"\naccounts = [\"111122223333\"]\n{REQUIREMENT}")),
        "p.toml:3:12: [profile.accounts] must be a table, found an array"
    );
    assert_eq!(error(&format!("{head}{REQUIREMENT}")), "p.toml:4:1: [profile.accounts] names no ids, ous or tags");
}

#[test]
fn profile_accounts_scope_check_profile_accepts_and_locates() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("prod.toml");
    std::fs::write(
        &good,
        format!("[profile]\nname = \"prod\"\n[profile.accounts]\ntags = {{ environment = \"prod\" }}\n{REQUIREMENT}"),
    )
    .unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, format!("[profile]\nname = \"prod\"\n[profile.accounts]\nous = [\"ou-x\"]\n{REQUIREMENT}"))
        .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::cli::run(["driftwatch", "check-profile", good.to_str().unwrap()], &mut out, &mut err);
    assert_eq!(code, crate::cli::Exit::Clean, "{}", String::from_utf8_lossy(&err));
    assert_eq!(
        String::from_utf8_lossy(&out),
        format!("{}: ok, profile `prod` with 1 requirement(s)\n", good.display())
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::cli::run(["driftwatch", "check-profile", bad.to_str().unwrap()], &mut out, &mut err);
    assert_eq!(code, crate::cli::Exit::Invalid);
    assert_eq!(
        String::from_utf8_lossy(&err),
        format!(
            "{}:4:8: `ou-x` in accounts.ous is not an organizational unit id (like ou-ab12-cd34ef56)\n",
            bad.display()
        )
    );
}
