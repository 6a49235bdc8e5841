//! The collector registry holds itself to its promises: every collector declares
//! its reads, its part of the inventory (and fills it with unknowns when cut
//! short) and the actions of its calls; every need a kind can declare names a
//! registered collector and reads that collector declares.

use super::*;
use crate::kinds::{FieldType, REGISTRY as KINDS};
use std::collections::BTreeSet;

/// A need asking everything a collector declares, in one region and globally.
fn everything(c: &Collector) -> Need {
    let reads: BTreeSet<&'static str> = c.reads.iter().map(|(r, _)| *r).collect();
    let mut need = Need::default();
    need.places.insert("us-east-1".into(), reads.clone());
    need.places.insert(GLOBAL.into(), reads.clone());
    need.scoped.push((Default::default(), reads));
    need
}

#[test]
fn collectors_declare_reads_part_and_actions() {
    let ids: BTreeSet<&str> = REGISTRY.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), REGISTRY.len(), "collector ids are unique");
    for c in REGISTRY {
        assert!(!c.part.is_empty() && !c.service.is_empty(), "{c:?} names its service and inventory part");
        assert!(!c.calls.is_empty(), "{c:?} declares its calls");
        let reads: BTreeSet<&str> = c.reads.iter().map(|(r, _)| *r).collect();
        assert_eq!(reads.len(), c.reads.len(), "{c:?} declares each read once");
        for (read, doc) in c.reads {
            assert!(!doc.trim().is_empty(), "{c:?} documents its read {read}");
        }
        // every declared call is made for some need
        let all = everything(c);
        for call in c.calls {
            assert!((call.needed)(&all), "{c:?}: {} is never needed", call.operation);
        }
    }
}

#[test]
fn collectors_cut_short_leave_their_part_unknown() {
    let gap = Gap {
        service: "test".into(),
        region: String::new(),
        operation: "collection".into(),
        resource: None,
        code: "DeadlineExceeded".into(),
        message: "cut short".into(),
        class: crate::inventory::ErrorClass::Timeout,
    };
    let empty = serde_json::to_value(Inventory::default()).unwrap();
    for c in REGISTRY {
        let mut inv = Inventory::default();
        (c.cut_short)(&everything(c), &gap, &mut inv);
        let filled = serde_json::to_value(&inv).unwrap();
        assert_ne!(filled, empty, "{c:?} fills no part of the inventory when cut short");
        let text = filled.to_string();
        assert!(text.contains("DeadlineExceeded"), "{c:?}: {text}");
        assert!(!text.contains("\"known\""), "{c:?} claims to know something it never read: {text}");
    }
}

/// A valid profile value of a field type, as TOML.
fn sample(ty: &FieldType) -> String {
    match ty {
        FieldType::Bool => "true".into(),
        FieldType::Int | FieldType::Number => "1".into(),
        FieldType::Str => "\"x\"".into(),
        FieldType::OneOf(options) => format!("\"{}\"", options[0]),
        FieldType::StrList | FieldType::Forbidden => "[\"x\"]".into(),
        FieldType::StrMap => "{ k = \"v\" }".into(),
        FieldType::Comparison => "\">=\"".into(),
        FieldType::Mesh => "[{ region = \"us-east-1\" }, { region = \"us-west-2\" }]".into(),
        FieldType::NamePattern => "\"x-{region}\"".into(),
        FieldType::PortRules => "{ \"22\" = [\"10.0.0.0/8\"] }".into(),
        FieldType::PortList => "[\"443\"]".into(),
    }
}

#[test]
fn every_kind_field_plans_registered_collectors_and_declared_reads() {
    for kind in KINDS {
        let required: Vec<String> =
            kind.all_fields().filter(|f| f.required).map(|f| format!("{} = {}", f.name, sample(&f.ty))).collect();
        for field in kind.all_fields() {
            let mut lines = required.clone();
            if !field.required {
                lines.push(format!("{} = {}", field.name, sample(&field.ty)));
            }
            let select = if kind.tags { "select = { tags = { Team = \"*\" } }\n" } else { "" };
            let text = format!(
                "[profile]\nname = \"p\"\nregions = [\"eu-west-1\"]\n[[requirement]]\nid = \"r\"\nkind = \"{}\"\n{select}[requirement.expect]\n{}\n",
                kind.name,
                lines.join("\n")
            );
            let mut p =
                crate::profile::parse("p.toml", &text).unwrap_or_else(|e| panic!("{}.{}: {e}", kind.name, field.name));
            p.resolve_regions(&[], "eu-west-1");
            let plan = Plan::for_requirements(&p.requirements);
            assert!(plan.needs().next().is_some(), "{}.{} plans nothing", kind.name, field.name);
            for (id, need) in plan.needs() {
                let c = find(id).unwrap_or_else(|| panic!("{}.{} plans unknown collector {id}", kind.name, field.name));
                let declared: BTreeSet<&str> = c.reads.iter().map(|(r, _)| *r).collect();
                for read in need.reads() {
                    assert!(
                        declared.contains(read),
                        "{}.{} asks {id} for undeclared read {read}",
                        kind.name,
                        field.name
                    );
                }
            }
        }
    }
}
