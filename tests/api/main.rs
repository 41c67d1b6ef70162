//! newsdesk's HTTP API end to end, as one test binary: each module below covers one part of
//! the contract on both backends (`both_backends!`), through the app exactly as `main` builds
//! it or, where only a real server shows it, through the `newsdesk` binary.

#[macro_use]
mod common;

mod auth;
mod bad_input;
mod cache;
mod cli;
mod concurrency;
mod editorial;
mod export;
mod import;
mod media;
mod migrations;
mod openapi;
mod public_api;
mod search;
mod search_index;
mod syndication;
mod views;
mod webhooks;
