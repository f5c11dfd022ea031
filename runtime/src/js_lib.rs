//! js-lib, embedded at build time (see build.rs).

include!(concat!(env!("OUT_DIR"), "/js_lib_files.rs"));

/// The source of a js-lib file by its path below js-lib/, e.g. `pulumi/index.ts`.
pub fn file(path: &str) -> Option<&'static str> {
    FILES.binary_search_by(|(name, _)| (*name).cmp(path)).ok().map(|index| FILES[index].1)
}
