//! `Engine.RequirePulumiVersion`: a program may require a range of Pulumi
//! versions. This engine speaks the protocol of the Pulumi release it was
//! built against ([`PULUMI_VERSION`]) and answers for that version.
//!
//! Ranges are in the syntax Pulumi's CLI reads (blang/semver): comparators
//! `>=`, `>`, `<=`, `<`, `=` (or none) and `!` (not equal), joined by spaces
//! (all must hold) and `||` (any alternative may hold).

use semver::Version;

/// The Pulumi release whose protocol this engine speaks.
pub const PULUMI_VERSION: &str = "3.274.1";

/// Whether `version` is within `range`; the error names what cannot be read.
pub fn satisfies(version: &Version, range: &str) -> Result<bool, String> {
    let mut any = false;
    for alternative in range.split("||") {
        let comparators: Vec<&str> = alternative.split_whitespace().collect();
        if comparators.is_empty() {
            return Err(format!("the version range '{range}' has an empty alternative"));
        }
        let mut all = true;
        for comparator in comparators {
            all &= holds(version, comparator).ok_or_else(|| {
                format!("cannot read '{comparator}' in the version range '{range}'")
            })?;
        }
        any |= all;
    }
    Ok(any)
}

fn holds(version: &Version, comparator: &str) -> Option<bool> {
    let (operator, rest) = ["!=", ">=", "<=", "==", "!", ">", "<", "="]
        .iter()
        .find_map(|op| comparator.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("=", comparator));
    let bound = Version::parse(rest.strip_prefix('v').unwrap_or(rest)).ok()?;
    Some(match operator {
        ">=" => *version >= bound,
        "<=" => *version <= bound,
        ">" => *version > bound,
        "<" => *version < bound,
        "!" | "!=" => *version != bound,
        _ => *version == bound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_pulumi_reads_them() {
        let v = Version::parse("3.274.1").unwrap();
        for (range, expected) in [
            (">=3.0.0", true),
            (">=3.5.0 !3.274.1", false),
            ("<3.4.0 || >3.8.0", true),
            ("<3.4.0 || >4.0.0", false),
            ("3.274.1", true),
            ("=3.274.0", false),
            (">3.274.0 <3.275.0", true),
        ] {
            assert_eq!(satisfies(&v, range), Ok(expected), "{range}");
        }
        assert!(satisfies(&v, ">=banana").unwrap_err().contains("'>=banana'"));
        assert!(satisfies(&v, ">=3.0.0 ||").is_err());
    }
}
