# Sourced by the scripts: build settings that depend on the machine.
# Offline machines link V8 from a vendored archive beside the checkout; with
# internet access the v8 crate downloads its own and nothing is needed here.
unfold_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
v8_archive="$unfold_root/../shared/vendor/rusty_v8/librusty_v8_simdutf_release_x86_64-unknown-linux-gnu.a.gz"
if [ -z "${RUSTY_V8_ARCHIVE:-}" ] && [ -f "$v8_archive" ]; then
  export RUSTY_V8_ARCHIVE="$(realpath "$v8_archive")"
fi
