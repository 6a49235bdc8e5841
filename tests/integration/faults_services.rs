//! Faults for every collector through the fault proxy (issue 14).
