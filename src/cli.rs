//! The subcommands: serve, migrate, demo, create-operator, import-register, worker, audit.
//! `serve` and `worker` stop cleanly on SIGTERM/SIGINT and exit 0.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::configuration::Settings;
use crate::db::{self, Db};
use crate::routes::language::Language;

#[derive(Debug, Parser)]
#[command(
    name = "tilslutning",
    version,
    about = "Data-access agreements for Danish schools and daycare"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web portal (applies pending migrations first).
    Serve {
        /// Load the demo data (idempotent) before serving.
        #[arg(long)]
        with_demo_data: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load demo data: register, suppliers, services, accounts and requests (idempotent).
    Demo,
    /// Import a register file (CSV in the national registers' column names, UTF-8 or
    /// Windows-1252, `;` or `,`). Refused rows are listed; good rows still go in. Exits
    /// non-zero, changing nothing, for an empty or too large file, an unknown
    /// `--complete-for` code, or a file of which no row could be used.
    ImportRegister {
        file: std::path::PathBuf,
        /// Show what would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The file lists every institution of this municipality (for its levels):
        /// institutions missing from it are closed.
        #[arg(long, value_name = "KOMMUNEKODE")]
        complete_for: Option<String>,
    },
    /// Run the mail worker alone (when `serve` runs with TILSLUTNING_MAIL_WORKER=off).
    Worker,
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Create an operator account. The password is read from TILSLUTNING_OPERATOR_PASSWORD,
    /// or asked for (or read from standard input when it is not a terminal).
    CreateOperator {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Driftsoperatør")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain: exit 0 with the row count and head hash, or non-zero naming
    /// the first row that was changed, deleted or inserted.
    Verify,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    match cli.command {
        Command::Serve { with_demo_data } => {
            if with_demo_data {
                load_demo(&settings)?;
            }
            actix_web::rt::System::new().block_on(async move {
                let stopped = crate::startup::shutdown_signal()?;
                let app = crate::startup::Application::build(settings).await?;
                tracing::info!(address = %app.address(), "serving");
                app.stop_on(stopped);
                app.run_until_stopped().await.context("server stopped")?;
                tracing::info!("stopped");
                Ok(())
            })
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database_url, 1)?;
            let mut conn = db.get()?;
            let applied = db::pool::run_migrations(&mut conn)?;
            println!("{applied} migration(s) applied.");
            Ok(())
        }
        Command::Demo => load_demo(&settings),
        Command::ImportRegister {
            file,
            dry_run,
            complete_for,
        } => import_register(&settings, &file, dry_run, complete_for),
        Command::Worker => {
            let db = Db::open(
                &settings.database_url,
                settings.pool_size,
                settings.db_checkout_timeout,
            )?;
            db::pool::run_migrations(&mut *db.get()?)?;
            let worker = crate::mail::MailWorker::new(db, std::sync::Arc::new(settings))?;
            actix_web::rt::System::new().block_on(async move {
                let stopped = crate::startup::shutdown_signal()?;
                let worker = worker.spawn();
                tracing::info!("mail worker running");
                stopped.await;
                tracing::info!("stopping the mail worker: the sends in flight finish");
                worker.stop_and_wait();
                anyhow::Ok(())
            })
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = Db::connect(&settings.database_url, 1)?;
            let mut conn = db.get()?;
            match db::audit::verify(&mut conn)? {
                Ok(verified) => {
                    println!(
                        "Audit log intact: {} rows. Head hash: {}",
                        verified.rows, verified.head_hash
                    );
                    Ok(())
                }
                Err(broken) => anyhow::bail!("audit log broken at {broken}"),
            }
        }
        Command::CreateOperator { email, name } => {
            let password = match std::env::var("TILSLUTNING_OPERATOR_PASSWORD") {
                Ok(p) => p,
                Err(_) if std::io::stdin().is_terminal() => {
                    rpassword::prompt_password("Password: ")?
                }
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            anyhow::ensure!(
                password.chars().count() >= 12,
                "the password must be at least 12 characters"
            );
            let db = Db::connect(&settings.database_url, 1)?;
            let mut conn = db.get()?;
            db::pool::run_migrations(&mut conn)?;
            let hash = crate::auth::password::hash(&password)?;
            crate::app::people::ensure_operator(&mut conn, &email, &name, &hash)?;
            println!("Operator {} is ready.", db::users::normalise_email(&email));
            Ok(())
        }
    }
}

/// `import-register`: the same use case as the operators' page and the API; every refusal
/// and a file of which nothing could be used exit non-zero, having changed nothing.
fn import_register(
    settings: &Settings,
    file: &std::path::Path,
    dry_run: bool,
    complete_for: Option<String>,
) -> anyhow::Result<()> {
    use crate::app::register::{ImportOutcome, ImportRequest, Refusal};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let db = Db::connect(&settings.database_url, 1)?;
    let mut conn = db.get()?;
    db::pool::run_migrations(&mut conn)?;
    let request = ImportRequest {
        bytes,
        source: file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        complete_for,
        dry_run,
    };
    let outcome =
        match crate::app::register::import_as(&mut conn, &db::audit::Caller::default(), request)? {
            Ok(outcome) => outcome,
            Err(refusal) => {
                let why = match refusal {
                    Refusal::EmptyFile => format!("{} is empty", file.display()),
                    Refusal::TooLarge { limit_bytes } => format!(
                        "{} is larger than {} MB",
                        file.display(),
                        limit_bytes / (1024 * 1024)
                    ),
                    Refusal::UnknownMunicipality { code } => format!(
                        "--complete-for {code:?} is not one of the register's municipality codes"
                    ),
                };
                anyhow::bail!("{why}; nothing was changed");
            }
        };
    let plan = outcome.plan();
    for e in &plan.errors {
        println!(
            "line {}: {}",
            e.line,
            crate::routes::register_problems::sentence(&e.problem, Language::English)
        );
    }
    let lapsing: usize = plan.closures.iter().map(|c| c.pending_requests.len()).sum();
    let ending: usize = plan.closures.iter().map(|c| c.open_agreements.len()).sum();
    println!(
        "{} new, {} changed, {} closed ({lapsing} pending requests lapse, {ending} agreements end), {} unchanged, {} refused rows",
        plan.creates.len(),
        plan.changes.len(),
        plan.closures.len(),
        plan.unchanged,
        plan.errors.len()
    );
    match outcome {
        ImportOutcome::Planned(_) => println!("Dry run: nothing was changed."),
        ImportOutcome::Applied { applied, .. } => println!(
            "Applied: {} created, {} changed, {} closed.",
            applied.created, applied.changed, applied.closed
        ),
        ImportOutcome::NothingUsable(_) => anyhow::bail!(
            "nothing in {} could be imported (no rows, or every row refused); nothing was changed",
            file.display()
        ),
    }
    Ok(())
}

fn load_demo(settings: &Settings) -> anyhow::Result<()> {
    let db = Db::connect(&settings.database_url, 1)?;
    let mut conn = db.get()?;
    db::pool::run_migrations(&mut conn)?;
    let outcome = crate::demo::load(
        &mut conn,
        settings.demo_password.as_deref(),
        settings.a_number_cutoff,
    )?;
    println!("{outcome}");
    Ok(())
}
