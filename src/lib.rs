//! Tilslutning: the portal where suppliers of school and daycare services file
//! data-access requests against institution numbers, and the institutions' approvers
//! decide them. See README.md for running it and DESIGN for the product.

pub mod app;
pub mod auth;
pub mod cli;
pub mod configuration;
pub mod csv_export;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod routes;
pub mod sample_register;
pub mod startup;
pub mod telemetry;
