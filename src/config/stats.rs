//! Settings of the figures: the goal, caching and view counting.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatsConfig {
    /// The alliance's goal: changemakers trained.
    pub target: u32,
    /// How long a rendered public figure (the goal) is served from memory
    /// before it is read again; 0 reads the rollups on every request.
    pub cache_seconds: u64,
    /// How often counted page views are written to the database.
    pub view_flush_seconds: u64,
    /// Most distinct viewers remembered per day for counting each once; past
    /// it, further views of the day are counted without that check.
    pub max_tracked_viewers: usize,
}

impl Default for StatsConfig {
    fn default() -> Self {
        Self {
            target: 10_000,
            cache_seconds: 5,
            view_flush_seconds: 5,
            max_tracked_viewers: 1_000_000,
        }
    }
}
