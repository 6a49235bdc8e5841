//! `--format junit`: one test suite per profile (per account and profile,
//! `ACCOUNT/PROFILE`, in a fleet run), one test case per finding; drift is
//! a failure, unknown an error, not_applicable and waived skipped (a waived one
//! with the waiver's reason). With `--baseline`, a drift's failure type says
//! whether it is `new drift` or `known drift`.

use super::{xml_escape as x, Coverage, Report};
use crate::compare::Status;
use std::collections::BTreeMap;
use std::io::Write;

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // a fleet run: a suite per account and profile, "ACCOUNT/PROFILE"
    // each finding with its place in the report (where --baseline's marks are)
    let mut suites: BTreeMap<(Option<&str>, &str), Vec<(usize, &crate::compare::Finding)>> = BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        suites.entry((f.account.as_deref(), &f.profile)).or_default().push((i, f));
    }
    let s = &report.summary;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="driftwatch" tests="{}" failures="{}" errors="{}" skipped="{}" time="{:.3}">"#,
        report.findings.len(),
        s.drift,
        s.unknown,
        s.not_applicable + s.waived,
        report.duration_ms as f64 / 1000.0
    )?;
    for ((account, profile), findings) in suites {
        let count = |st: Status| findings.iter().filter(|(_, f)| f.status == st).count();
        let (suite, class) = match account {
            None => (profile.to_string(), profile.to_string()),
            Some(a) => (format!("{a}/{profile}"), format!("{a}.{profile}")),
        };
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
            x(&suite),
            findings.len(),
            count(Status::Drift),
            count(Status::Unknown),
            count(Status::NotApplicable) + count(Status::Waived)
        )?;
        // coverage of each requirement of this profile, as suite properties
        // (a fleet suite counts its own account's findings)
        let own = account.map(|_| Coverage::of(&findings.iter().map(|(_, f)| (*f).clone()).collect::<Vec<_>>()));
        let coverage = own.as_ref().unwrap_or(&report.coverage);
        let covered: Vec<_> = coverage.requirements.iter().filter(|e| e.profile == profile).collect();
        if !covered.is_empty() {
            writeln!(out, "    <properties>")?;
            for e in covered {
                for (what, n) in [("read", e.read), ("unknown", e.unknown), ("listings_unread", e.listings_unread)] {
                    writeln!(out, r#"      <property name="coverage.{}.{what}" value="{n}"/>"#, x(&e.requirement))?;
                }
            }
            writeln!(out, "    </properties>")?;
        }
        for (i, f) in findings {
            let name = match &f.resource {
                Some(r) => format!("{} [{}]", f.requirement, r),
                None => f.requirement.clone(),
            };
            write!(out, r#"    <testcase classname="{}.{}" name="{}">"#, x(&class), x(&f.requirement), x(&name))?;
            match f.status {
                Status::Pass => {}
                Status::Drift => match report.baseline.as_ref().and_then(|b| b.get(i)) {
                    // "new drift" or "known drift" against the baseline
                    Some(mark) => {
                        write!(out, r#"<failure type="{} drift" message="{}"/>"#, mark.as_str(), x(&f.message))?
                    }
                    None => write!(out, r#"<failure type="drift" message="{}"/>"#, x(&f.message))?,
                },
                Status::Unknown => write!(out, r#"<error type="unknown" message="{}"/>"#, x(&f.message))?,
                Status::NotApplicable => write!(out, r#"<skipped message="{}"/>"#, x(&f.message))?,
                Status::Waived => {
                    let why = f.waiver.as_ref().map(|w| w.to_string()).unwrap_or_else(|| "waived".into());
                    write!(out, r#"<skipped type="waived" message="{}"/>"#, x(&why))?
                }
            }
            writeln!(out, "</testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
