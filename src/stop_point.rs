//! Named points inside the platform's writes where the crash tests stop the
//! server, to kill it there with SIGKILL: a decision half written, a reach
//! verification half written, a photo stored but not yet marked ready, page
//! views half flushed, a mail handed over but not yet marked sent.
//!
//! With `CHANGEMAKERS_TEST_STOP_AT` naming a point, the task that reaches it
//! writes the point's name to the file `CHANGEMAKERS_TEST_STOPPED` names and
//! never goes on. Only builds with the `test-fixtures` feature (the test
//! builds) have them; in every other build `reached` does nothing.

/// Where a task is; see the module's text.
#[cfg(feature = "test-fixtures")]
pub async fn reached(name: &str) {
    if std::env::var("CHANGEMAKERS_TEST_STOP_AT").as_deref() != Ok(name) {
        return;
    }
    if let Ok(marker) = std::env::var("CHANGEMAKERS_TEST_STOPPED") {
        let _ = std::fs::write(marker, name);
    }
    std::future::pending::<()>().await;
}

/// Where a task is: nothing, outside the test builds.
#[cfg(not(feature = "test-fixtures"))]
#[allow(clippy::unused_async)]
pub async fn reached(_name: &str) {}
