//! A home for the WASI adapter's memory in a standard Go module that reserved none.
//!
//! Go's runtime takes every address from the end of its data (`runtime.end`, rounded up to a
//! page) for its heap, and grows memory by its own count, assuming that nobody else did: pages
//! that the WASI adapter grows for its state and stack are overwritten once Go's heap has grown
//! past them (after about 1 MiB: Go's initial slack). The runtime reads where its heap begins
//! from one word, `firstmoduledata.end`, written by the linker into the module's data. Moving
//! that word up before the runtime starts leaves the memory between the old and the new value
//! to nobody but the adapter: Go neither allocates nor scans it (it is neither heap nor data).
//!
//! The word is found by its neighbours: Go's `moduledata` holds, in this order,
//! `noptrdata, enoptrdata, data, edata, bss, ebss, noptrbss, enoptrbss, covctrs, ecovctrs,
//! end` (Go 1.20 to at least 1.27), section bounds that must nest as the linker lays the
//! sections out, with `end` just below the initial memory size less the 1 MiB that Go's linker
//! adds for the runtime's start-up. Exactly one place in the data must match; otherwise nothing
//! is assumed.

use wasmparser::{DataKind, Operator, Parser, Payload, TypeRef};

use crate::classify::WasiArena;
use crate::error::AdaptError;

/// How much memory is reserved for the adapter: its state and its stack, as the Go SDK's own
/// arena (`guests/go-legacy/mockforge/wasi_arena_wasip1.go`).
pub const RESERVED_FOR_ADAPTER: u32 = 192 * 1024;

/// What Go's linker adds to the end of the data for the initial memory size.
const GO_LINKER_SLACK: u64 = 1 << 20;
const PAGE: u64 = 64 * 1024;
/// The `moduledata` fields from `noptrdata` to `end`, eight bytes each.
const FIELDS: usize = 11;
/// The lowest data address of a Go wasm module (4 KiB zero page, 8 KiB for `wasm_exec.js`).
const GO_MIN_DATA_ADDRESS: u64 = 4096 + 8192;

/// Where a standard Go module keeps the start of its heap, and the arena carved out below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GoHeapStart {
    /// The address of `firstmoduledata.end` in linear memory.
    pub field: u32,
    /// Its value as linked: the end of Go's data.
    pub linked_end: u32,
    /// Its value in the adapted module: the end of the arena, where Go's heap now begins.
    pub moved_end: u32,
}

impl GoHeapStart {
    /// The memory between the linked and the moved end, for the adapter.
    pub fn arena(&self) -> WasiArena {
        WasiArena {
            start: self.linked_end,
            end: self.moved_end,
        }
    }
}

/// The start of the heap of the standard Go module `bytes`, when it is one whose
/// `firstmoduledata.end` can be found beyond doubt, with the adapter's arena reserved below it.
pub(crate) fn find_heap_start(bytes: &[u8]) -> Result<Option<GoHeapStart>, AdaptError> {
    let malformed = |e: wasmparser::BinaryReaderError| AdaptError::Malformed(e.to_string());
    let mut initial_pages = None;
    let mut segments = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(malformed)? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if let TypeRef::Memory(_) = import.map_err(malformed)?.ty {
                        // An imported memory is not laid out by Go's linker.
                        return Ok(None);
                    }
                }
            }
            Payload::MemorySection(section) => {
                if let Some(memory) = section.into_iter().next() {
                    initial_pages = Some(memory.map_err(malformed)?.initial);
                }
            }
            Payload::DataSection(section) => {
                for data in section {
                    let data = data.map_err(malformed)?;
                    let DataKind::Active {
                        memory_index: 0,
                        offset_expr,
                    } = data.kind
                    else {
                        continue;
                    };
                    let mut ops = offset_expr.get_operators_reader();
                    let Ok(Operator::I32Const { value }) = ops.read() else {
                        return Ok(None);
                    };
                    segments.push((u64::from(value as u32), data.data));
                }
            }
            _ => {}
        }
    }
    let Some(initial_pages) = initial_pages else {
        return Ok(None);
    };
    Ok(locate(initial_pages * PAGE, &segments))
}

/// The one `moduledata` end field among `segments` (address, bytes) for a memory of
/// `initial_bytes`.
fn locate(initial_bytes: u64, segments: &[(u64, &[u8])]) -> Option<GoHeapStart> {
    let data_end = segments
        .iter()
        .map(|(at, bytes)| at + bytes.len() as u64)
        .max()?;
    // Go's linker sets the initial size to `end + 1 MiB`, rounded down to a page.
    let lowest_end = initial_bytes.checked_sub(GO_LINKER_SLACK)?;
    let highest_end = lowest_end + PAGE;
    let word_at = |address: u64| -> u64 {
        let mut word = [0u8; 8];
        for (i, byte) in word.iter_mut().enumerate() {
            let at = address + i as u64;
            *byte = segments
                .iter()
                .find(|(start, bytes)| *start <= at && at < start + bytes.len() as u64)
                .map_or(0, |(start, bytes)| bytes[(at - start) as usize]);
        }
        u64::from_le_bytes(word)
    };
    let mut found = None;
    for (start, bytes) in segments {
        // Candidates for `end`: an aligned word in the expected range.
        let first = start.next_multiple_of(8);
        let mut at = first;
        while at + 8 <= start + bytes.len() as u64 {
            let offset = (at - start) as usize;
            let value = u64::from_le_bytes(bytes[offset..offset + 8].try_into().ok()?);
            if (lowest_end..highest_end).contains(&value) && at >= (FIELDS as u64 - 1) * 8 {
                let base = at - (FIELDS as u64 - 1) * 8;
                let fields: Vec<u64> = (0..FIELDS as u64).map(|i| word_at(base + 8 * i)).collect();
                if is_moduledata(&fields, data_end) {
                    if found.is_some() {
                        return None;
                    }
                    found = Some((at, value));
                }
            }
            at += 8;
        }
    }
    let (field, linked_end) = found?;
    let moved_end = linked_end + u64::from(RESERVED_FOR_ADAPTER);
    // The arena and Go's first heap page must lie inside the initial memory.
    (moved_end.next_multiple_of(PAGE) < initial_bytes).then_some(GoHeapStart {
        field: u32::try_from(field).ok()?,
        linked_end: u32::try_from(linked_end).ok()?,
        moved_end: u32::try_from(moved_end).ok()?,
    })
}

/// Whether `fields` (`noptrdata` .. `end`) nest as Go's linker lays out its sections, with the
/// initialised data (`data_end`, where the last data segment ends) inside `noptrdata..edata`.
fn is_moduledata(fields: &[u64], data_end: u64) -> bool {
    let [noptrdata, enoptrdata, data, edata, bss, ebss, noptrbss, enoptrbss, covctrs, ecovctrs, end] =
        fields
    else {
        return false;
    };
    let ordered = [
        *noptrdata,
        *enoptrdata,
        *data,
        *edata,
        *bss,
        *ebss,
        *noptrbss,
        *enoptrbss,
        *end,
    ]
    .windows(2)
    .all(|pair| pair[0] <= pair[1]);
    ordered
        && *noptrdata >= GO_MIN_DATA_ADDRESS
        && noptrdata < edata
        && data_end <= *edata
        && (noptrbss..=enoptrbss).contains(&covctrs)
        && (covctrs..=enoptrbss).contains(&ecovctrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memory image in the layout of Go's linker: sections from 0x3000 up, `moduledata` in
    /// `data`, `end` at 0x2_0000.
    fn go_layout(end: u64) -> (u64, Vec<u8>) {
        let fields: [u64; FIELDS] = [
            0x3000, 0x8000, 0x8000, 0x9000, 0x9000, 0xa000, 0xa000, end, end, end, end,
        ];
        let mut data = vec![7u8; 0x100];
        for field in fields {
            data.extend_from_slice(&field.to_le_bytes());
        }
        data.extend_from_slice(&[9u8; 0x100]);
        ((end + GO_LINKER_SLACK) / PAGE * PAGE, data)
    }

    #[test]
    fn the_end_field_is_found_and_the_arena_lies_between_the_data_and_the_heap() {
        let (initial, data) = go_layout(0x2_0000);
        let found = locate(initial, &[(0x8000, &data)]).expect("found");
        assert_eq!(found.field, 0x8000 + 0x100 + 10 * 8);
        assert_eq!(found.linked_end, 0x2_0000);
        assert_eq!(found.moved_end, 0x2_0000 + RESERVED_FOR_ADAPTER);
        assert_eq!(
            found.arena().end - found.arena().start,
            RESERVED_FOR_ADAPTER
        );
    }

    #[test]
    fn fields_split_across_segments_are_read_from_each() {
        let (initial, data) = go_layout(0x2_0000);
        let (head, tail) = data.split_at(0x100 + 5 * 8 + 3);
        let tail_at = 0x8000 + head.len() as u64;
        assert!(locate(initial, &[(0x8000, head), (tail_at, tail)]).is_some());
    }

    #[test]
    fn nothing_is_assumed_when_the_layout_does_not_fit_or_is_ambiguous() {
        let (initial, data) = go_layout(0x2_0000);
        // The sections out of order.
        let mut shuffled = data.clone();
        shuffled[0x100..0x108].copy_from_slice(&0xb000u64.to_le_bytes());
        assert_eq!(locate(initial, &[(0x8000, &shuffled)]), None);
        // `end` beyond what the initial memory size implies.
        assert_eq!(locate(initial + 2 * PAGE, &[(0x8000, &data)]), None);
        // Two candidates.
        let mut twice = data.clone();
        twice.extend_from_slice(&data);
        assert_eq!(locate(initial, &[(0x8000, &twice)]), None);
        // Data below Go's lowest address.
        let (initial, data) = go_layout(0x2_0000);
        let mut low = data.clone();
        low[0x100..0x108].copy_from_slice(&0x100u64.to_le_bytes());
        assert_eq!(locate(initial, &[(0x8000, &low)]), None);
    }
}
