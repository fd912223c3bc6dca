//! The one byte range of an HTTP `Range` header that the platform honours
//! (what video players send to seek). Several ranges, other units and ranges
//! past the end are not honoured: the whole file is sent instead, which
//! HTTP allows.

/// The inclusive range `(first, last)` that `header` asks of an object of
/// `total` bytes, if it is one range that can be served.
#[must_use]
pub fn parse(header: &str, total: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') || total == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // The last N bytes.
        let n: u64 = last.parse().ok()?;
        if n == 0 {
            return None;
        }
        return Some((total.saturating_sub(n), total - 1));
    }
    let first: u64 = first.parse().ok()?;
    let last = if last.is_empty() {
        total - 1
    } else {
        last.parse::<u64>().ok()?.min(total - 1)
    };
    (first <= last).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn single_ranges_are_honoured() {
        assert_eq!(parse("bytes=0-", 100), Some((0, 99)));
        assert_eq!(parse("bytes=0-1", 100), Some((0, 1)));
        assert_eq!(parse("bytes=10-500", 100), Some((10, 99)));
        assert_eq!(parse("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse("bytes=-500", 100), Some((0, 99)));
    }

    #[test]
    fn the_rest_means_the_whole_file() {
        for header in [
            "bytes=100-",
            "bytes=5-2",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=x-",
            "bytes=-0",
            "",
        ] {
            assert_eq!(parse(header, 100), None, "{header}");
        }
        assert_eq!(parse("bytes=0-", 0), None);
    }
}
