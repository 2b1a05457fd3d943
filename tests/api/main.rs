//! The integration suite: one binary, each test with its own app and database.
//! Runs on SQLite by default, on PostgreSQL when `TILSLUTNING_TEST_DATABASE_URL` is set.

mod api_client;
mod helpers;

mod accounts;
mod administration;
mod agreement_lifecycle;
mod agreements_report;
mod api_access;
mod api_flows;
mod api_language;
mod api_races;
mod approver_paging;
mod audit;
mod bad_input;
mod concurrency;
mod configuration;
mod deciding;
mod delegation;
mod delivery;
mod filing;
mod generated_client;
mod health;
mod indexes;
mod language;
mod login;
mod mail;
mod mail_texts;
mod mailboxes;
mod metrics;
mod migrations;
mod no_approver;
mod oidc;
mod operator_api;
mod outage;
mod policy_matrix;
mod polish;
mod register;
mod scope_decisions;
mod scope_retirement;
mod session_cache;
mod user_admin;
