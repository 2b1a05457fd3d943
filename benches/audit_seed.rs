//! Appends N audit rows through the portal's own `audit::record` (so the chain is real),
//! in transactions of 10,000, for the audit benchmark (`benches/audit.sh`).
//! Usage: cargo bench --bench audit_seed -- DATABASE_URL ROWS

use std::time::Instant;

use serde_json::json;
use tilslutning::db::audit::{self, Caller, Entry};
use tilslutning::db::{Db, write_tx};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [url, rows] = args.as_slice() else {
        anyhow::bail!("usage: audit_seed DATABASE_URL ROWS");
    };
    let rows: i64 = rows.parse()?;
    let db = Db::connect(url, 1)?;
    let mut conn = db.get()?;
    let officer =
        tilslutning::db::users::find_by_email(&mut conn, tilslutning::demo::OFFICER_EMAIL)?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("load the demo data first"))?;
    let caller = Caller {
        user_id: Some(officer),
        role: Some("municipal_officer".into()),
        ..Caller::default()
    };
    let numbers = [
        "G10101", "G10201", "G10301", "G20101", "G30101", "101001", "147001", "751001",
    ];
    let actions = [
        "request.filed",
        "request.approved",
        "request.rejected",
        "agreement.created",
        "user.login",
    ];
    let started = Instant::now();
    let mut written = 0;
    while written < rows {
        let batch = (rows - written).min(10_000);
        write_tx(&mut conn, |conn| -> diesel::QueryResult<()> {
            for i in written..written + batch {
                let target = format!("bench-{i}");
                audit::record(
                    conn,
                    &caller,
                    Entry {
                        action: actions[(i % 5) as usize],
                        target_type: "request",
                        target_id: &target,
                        institution_number: Some(numbers[(i % 8) as usize]),
                        supplier_id: Some("demo-supplier-1"),
                        details: json!({ "reference": format!("DA-2025-{i:07}"), "scopes": ["STAMDATA", "BOERN"] }),
                    },
                )?;
            }
            Ok(())
        })?;
        written += batch;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "appended {rows} audit rows in {seconds:.1} s ({:.0} rows/s)",
        rows as f64 / seconds
    );
    Ok(())
}
