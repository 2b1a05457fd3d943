//! The hot lookups use their indexes: the query planner is asked (EXPLAIN) on each
//! backend, with sequential scans discouraged on PostgreSQL so a small test database
//! shows which index the planner can use.

use diesel::prelude::*;
use diesel::sql_types::Text;
use tilslutning::db::DbConnection;

use crate::helpers::*;

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

fn plan(conn: &mut DbConnection, sql: &str) -> String {
    match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlan>(c)
            .expect("explain")
            .into_iter()
            .map(|p| p.detail)
            .collect::<Vec<_>>()
            .join("\n"),
        DbConnection::Postgresql(c) => {
            diesel::sql_query("SET enable_seqscan = off")
                .execute(c)
                .expect("set");
            diesel::sql_query(format!("EXPLAIN {sql}"))
                .load::<PgPlan>(c)
                .expect("explain")
                .into_iter()
                .map(|p| p.line)
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

#[tokio::test]
async fn the_hot_lookups_are_answered_from_an_index() {
    let app = spawn_app().await;
    let cases = [
        (
            "SELECT agreement_id FROM agreement_scopes WHERE request_id = 'x'",
            "agreement_scopes_request",
        ),
        (
            "SELECT user_id FROM role_assignments WHERE institution_number = 'G10101' AND role = 'institution_staff'",
            "role_assignments_institution",
        ),
        (
            "SELECT user_id FROM role_assignments WHERE municipality_code = '101' AND role = 'municipal_officer'",
            "role_assignments_municipality",
        ),
        (
            "SELECT id FROM delegations WHERE institution_number = 'G10601' AND valid_until >= '2026-01-01'",
            "delegations_institution",
        ),
        (
            "SELECT seq FROM audit_log WHERE municipality_code = '101' AND seq < 100 ORDER BY seq DESC LIMIT 50",
            "audit_log_municipality",
        ),
        (
            "SELECT id FROM agreements WHERE service_id = 'demo-service-app' AND institution_number IN ('G10101', 'G10102') ORDER BY created_at DESC",
            "agreements_service_institution",
        ),
        (
            "SELECT id FROM agreements WHERE service_id = 'demo-service-app' AND institution_number IN ('G10101', 'G10102') AND (agreements.status = 'active' OR agreements.status = 'suspended')",
            "agreements_",
        ),
        (
            "SELECT seq FROM audit_log WHERE target_type = 'agreement' AND seq > 10 ORDER BY seq LIMIT 500",
            "audit_log_target_seq",
        ),
        (
            "SELECT id FROM requests WHERE requests.status = 'pending' AND filed_at < '2026-01-01' AND (reminded_at IS NULL OR reminded_at < '2026-01-01') ORDER BY filed_at LIMIT 500",
            "requests_status_filed_reference",
        ),
    ];
    for (sql, index) in cases {
        let shown = app.with_db(|c| plan(c, sql));
        assert!(shown.contains(index), "{sql}\nuses no {index}:\n{shown}");
    }
    // The background sweeps' batches. PostgreSQL must see their partial indexes (a generic
    // plan otherwise walked every request by filing date); SQLite, which plans with the
    // values bound and no statistics in a test database, reads another index in order.
    let sweeps = [
        (
            "SELECT id FROM requests WHERE requests.status = 'pending' AND filed_at < '2026-01-01' AND escalated_to_operators_at IS NULL AND escalated_at IS NULL ORDER BY filed_at LIMIT 500",
            "requests_due_for_municipality",
            "requests_status_filed_reference",
        ),
        (
            "SELECT id FROM requests WHERE requests.status = 'pending' AND filed_at < '2026-01-01' AND escalated_to_operators_at IS NULL AND escalated_at IS NOT NULL ORDER BY filed_at LIMIT 500",
            "requests_due_for_operators",
            "requests_status_filed_reference",
        ),
        (
            "SELECT id FROM agreements WHERE agreements.status IN ('active', 'suspended') AND ends_on < '2026-01-01' LIMIT 500",
            "agreements_open_ends_on",
            "USING INDEX agreements_",
        ),
    ];
    for (sql, on_postgres, on_sqlite) in sweeps {
        let shown = app.with_db(|c| plan(c, sql));
        let postgres = app.with_db(|c| matches!(c, DbConnection::Postgresql(_)));
        let expected = if postgres { on_postgres } else { on_sqlite };
        assert!(
            shown.contains(expected),
            "{sql}\nuses no {expected}:\n{shown}"
        );
    }
}
