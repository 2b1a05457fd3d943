//! Import of a national-scale register (`tilslutning::sample_register`: 2,548 klynger,
//! 5,096 units, 1,960 schools) into a fresh database: plan and apply each file, then import
//! both again (the second run must change nothing), timing each step.
//! Usage: cargo bench --bench import_register -- [DATABASE_URL]
//! (default: a new SQLite file in a temporary folder).

use std::time::Instant;

use tilslutning::db::audit::Caller;
use tilslutning::db::{Db, register, register_import};
use tilslutning::domain::register_file;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = std::env::temp_dir().join(format!("tilslutning-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = args
        .first()
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let db = Db::connect(&url, 1)?;
    let mut conn = db.get()?;
    tilslutning::db::pool::run_migrations(&mut conn)?;
    let codes: Vec<String> = register::municipalities(&mut conn)?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let files = [
        ("units", tilslutning::sample_register::units_csv(&codes)),
        ("schools", tilslutning::sample_register::schools_csv(&codes)),
    ];
    let today = tilslutning::db::now().date();
    for round in ["first import", "same files again"] {
        for (name, text) in &files {
            let started = Instant::now();
            let parsed = register_file::parse(text.as_bytes(), &codes);
            let rows = parsed.rows.len();
            let parsed_at = started.elapsed();
            let plan = register_import::plan(&mut conn, parsed, None, today)?;
            let planned_at = started.elapsed();
            let applied = tilslutning::db::write_tx(&mut conn, |conn| {
                register_import::apply(conn, &Caller::default(), &plan, name)
            })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let total = started.elapsed();
            println!(
                "{round:<17} {name:<8} {rows:>5} rows ({:>4} KiB): parse {:>6.0} ms, plan {:>6.0} ms, apply {:>6.0} ms, total {:>6.2} s — {} created, {} changed, {} unchanged",
                text.len() / 1024,
                parsed_at.as_secs_f64() * 1e3,
                (planned_at - parsed_at).as_secs_f64() * 1e3,
                (total - planned_at).as_secs_f64() * 1e3,
                total.as_secs_f64(),
                applied.created,
                applied.changed,
                plan.unchanged,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
