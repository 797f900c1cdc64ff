//! libFuzzer driver of `mockforge_component_fuzz::adapt`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mockforge_component_fuzz::adapt(data);
});
