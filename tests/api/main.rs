//! One integration-test binary. Every test builds the real application on an
//! ephemeral port with its own database: a fresh SQLite file, or, when
//! `CHANGEMAKERS_TEST_POSTGRES_URL` is set, a PostgreSQL database cloned from a
//! migrated template and dropped afterwards.

// A failed unwrap is a failed test; pedantic style is for the product code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::pedantic)]

mod helpers;
mod s3_server;
mod security_headers;
mod sessions;

mod auth;
mod backup;
mod bad_input;
mod campaigns;
mod cities;
mod compression;
mod embeds;
mod enrol;
mod faults;
mod gallery;
mod health;
mod languages;
mod logs;
mod matrix;
mod me;
mod media;
mod media_s3;
mod media_video;
mod moderation;
mod notifications;
mod oauth;
mod oembed;
mod open_graph;
mod openapi;
mod operator;
mod outbox;
mod overview;
mod privacy;
mod problems;
mod programmes;
mod public_privacy;
mod public_record;
mod reach;
mod reports;
mod smtp;
mod stats;
mod teams;
mod training;
mod typed_rows;
