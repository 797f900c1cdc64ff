//! libFuzzer driver of `mockforge_component_fuzz::Loader::load`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mockforge_component_fuzz::Loader;

thread_local! {
    static LOADER: Loader = Loader::new(std::env::temp_dir().join("mockforge-fuzz-load"));
}

fuzz_target!(|data: &[u8]| {
    LOADER.with(|loader| loader.load(data));
});
