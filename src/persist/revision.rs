//! Revisions: which of two writes of one record is the later. A hybrid logical clock: the
//! wall time in milliseconds, pushed past every revision this tab has written or seen, so a
//! tab whose clock runs behind still writes revisions above those it has read; ties between
//! tabs are broken by the tab id. Ordered by (time, tab), as derived.

use serde::{Deserialize, Serialize};

/// When and by which tab a record was written. Totally ordered: two tabs never write the same
/// revision, so "the higher revision wins" picks one winner everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Revision {
    /// Milliseconds since 1970, or more when the clock had to move past a seen revision.
    pub time: u64,
    /// The writing tab's random id.
    pub tab: u64,
}

/// One tab's clock.
#[derive(Debug, Clone)]
pub struct Clock {
    tab: u64,
    last: u64,
}

impl Clock {
    /// A clock for the tab `tab` (a random id drawn when the tab starts).
    pub fn new(tab: u64) -> Self {
        Self { tab, last: 0 }
    }

    /// This tab's id.
    pub fn tab(&self) -> u64 {
        self.tab
    }

    /// A new revision, above every one this clock issued or observed. `now_ms`: wall time.
    pub fn tick(&mut self, now_ms: u64) -> Revision {
        self.last = now_ms.max(self.last + 1);
        Revision {
            time: self.last,
            tab: self.tab,
        }
    }

    /// Takes note of a revision read from storage or another tab, so the next tick is above it.
    pub fn observe(&mut self, revision: Revision) {
        self.last = self.last.max(revision.time);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_behind_still_writes_above_what_it_has_seen() {
        let mut slow = Clock::new(1);
        slow.observe(Revision {
            time: 5_000,
            tab: 2,
        });
        let revision = slow.tick(1_000);
        assert!(
            revision
                > Revision {
                    time: 5_000,
                    tab: 2
                }
        );
        assert!(slow.tick(1_000) > revision);
    }

    #[test]
    fn equal_times_are_ordered_by_tab() {
        assert!(Revision { time: 7, tab: 2 } > Revision { time: 7, tab: 1 });
    }
}
