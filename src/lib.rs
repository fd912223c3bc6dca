//! changemakers: a platform for youth changemaker programmes in Nordic cities.
//!
//! One binary serves the JSON API (`/api/v1`, described by poem-openapi), the
//! web app (static assets built from `frontend/` and embedded here), the
//! server-rendered embeds for cities' websites (`embed`), health
//! and metrics endpoints, and runs its background workers in-process.
//!
//! Requests flow `api` (parse into `domain` types, thin handlers) ->
//! `service` (use cases and every permission check) -> `db` (the only place
//! with SQL, over SQLite or PostgreSQL). Outside parts (database, mail, and
//! later media storage) each have an embedded default and a production
//! backend, chosen by configuration. Time comes from an injected [`clock`],
//! so tests can move it.

pub mod api;
pub mod app;
pub mod cli;
pub mod clock;
pub mod compression;
pub mod config;
pub mod db;
pub mod domain;
pub mod embed;
pub mod error;
/// The fuzz targets' properties (see `fuzz/`), for the fuzzers and the corpus replay.
#[cfg(feature = "test-fixtures")]
#[doc(hidden)]
pub mod fuzz_checks;
pub mod headers;
pub mod i18n;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod service;
pub mod state;
pub mod stop_point;
pub mod storage;
pub mod telemetry;
pub mod web;
