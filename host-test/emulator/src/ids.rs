//! Resource ids that look like the API's: lower-case time-based (version 1) UUIDs.

use crate::clock;

/// 100-nanosecond intervals between 1582-10-15 (the UUID epoch) and 1970-01-01.
const UUID_EPOCH_OFFSET: u64 = 0x01B2_1DD2_1381_4000;

/// Issues unique version-1-looking UUIDs: the time field advances on every id, the node is
/// fixed per generator.
#[derive(Debug, Clone)]
pub struct IdGenerator {
    ticks: u64,
    clock_seq: u16,
    node: u64,
}

impl IdGenerator {
    /// A generator starting at the current time, with `entropy` choosing the clock sequence
    /// and the low half of the node.
    pub fn new(entropy: u64) -> IdGenerator {
        let now = clock::now_secs().max(0) as u64;
        IdGenerator {
            ticks: now * 10_000_000 + UUID_EPOCH_OFFSET,
            clock_seq: 0x8000 | (entropy as u16 & 0x3fff),
            node: 0xfa16_3e00_0000 | ((entropy >> 16) & 0xff_ffff),
        }
    }

    /// The next id, e.g. `af73e650-96f0-11ef-b2a0-fa163eafb85e`.
    pub fn next_id(&mut self) -> String {
        self.ticks += 1;
        let t = self.ticks;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            t & 0xffff_ffff,
            (t >> 32) & 0xffff,
            0x1000 | ((t >> 48) & 0x0fff),
            self.clock_seq,
            self.node
        )
    }
}

/// Whether `text` has the 8-4-4-4-12 hexadecimal shape of a UUID.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_lower_case_v1() {
        let mut ids = IdGenerator::new(0x1234_5678_9abc);
        let issued: HashSet<String> = (0..10_000).map(|_| ids.next_id()).collect();
        assert_eq!(issued.len(), 10_000);
        for id in issued.iter().take(50) {
            assert!(is_uuid(id), "{id}");
            assert_eq!(id, &id.to_lowercase());
            assert_eq!(&id[14..15], "1", "{id}");
        }
    }

    #[test]
    fn recognises_uuid_shape() {
        assert!(is_uuid("af73e650-96f0-11ef-b2a0-fa163eafb85e"));
        assert!(!is_uuid("04fe9a-a579-43c5-bb1a-58ed29bf0a6a"));
        assert!(!is_uuid("af73e650-96f0-11ef-b2a0-fa163eafb85g"));
    }
}
