//! The bootstrap loads on Lambda's OS: Amazon Linux 2023 ships glibc 2.34,
//! so the binary may need no symbol version newer than that. (A build on a
//! newer distribution can pick up newer ones, e.g. C23's `__isoc23_strtol`
//! from glibc 2.38; build the layer on Amazon Linux 2023 or an older
//! distribution then — the README says how.)

use goblin::elf::Elf;

/// Amazon Linux 2023's glibc.
const LAMBDA_GLIBC: (u32, u32) = (2, 34);

fn glibc_version(name: &str) -> Option<(u32, u32)> {
    let (major, minor) = name.strip_prefix("GLIBC_")?.split_once('.')?;
    let minor = minor.split('.').next()?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[test]
fn the_bootstrap_needs_no_glibc_newer_than_amazon_linux_2023s() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_unfold-lambda-bootstrap")).unwrap();
    let elf = Elf::parse(&bytes).expect("the bootstrap is an ELF binary");
    let verneed = elf.verneed.as_ref().expect("the bootstrap links glibc with versioned symbols");
    let mut needed = Vec::new();
    for library in verneed.iter() {
        for version in library.iter() {
            if let Some(name) = elf.dynstrtab.get_at(version.vna_name)
                && let Some(parsed) = glibc_version(name)
            {
                needed.push((parsed, name.to_string()));
            }
        }
    }
    assert!(!needed.is_empty(), "no GLIBC_ versions found: the check would prove nothing");
    let newest = needed.iter().max().unwrap();
    assert!(
        newest.0 <= LAMBDA_GLIBC,
        "the bootstrap needs {} but Amazon Linux 2023 has glibc 2.34; build it on an older distribution",
        newest.1
    );
}

#[test]
fn glibc_versions_are_read_as_numbers() {
    assert_eq!(glibc_version("GLIBC_2.34"), Some((2, 34)));
    assert_eq!(glibc_version("GLIBC_2.2.5"), Some((2, 2)));
    assert!(glibc_version("GLIBC_2.9") < glibc_version("GLIBC_2.34"));
    assert_eq!(glibc_version("GCC_3.0"), None);
}
