//! The institution register: operators (and the command line, as the system) import the
//! national registers' files, with a dry run first. The import is one use case for the
//! command line, the operators' page and the JSON API alike: the same checks on what was
//! handed in, the plan, and — unless it is a dry run or nothing in the file can be used —
//! the plan carried out in the same transaction it was made in. The answer is a fact
//! ([`ImportOutcome`] or a [`Refusal`]); each caller puts it in its own words.

use super::{Acting, Error, Result};
use crate::db::audit::Caller;
use crate::db::register_import::{self, Applied, ApplyError, ImportPlan};
use crate::db::{DbConnection, register, write_tx};
use crate::domain::Role;
use crate::domain::policy::maintains_register;
use crate::domain::register_file;

/// The largest register file taken in (the national daycare register is about 10 MB).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// What the caller hands in.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The file as it came (UTF-8 or Windows-1252).
    pub bytes: Vec<u8>,
    /// What the audit rows name as the source: the file name, or `api`.
    pub source: String,
    /// The municipality code the file lists every institution of; blank means none.
    pub complete_for: Option<String>,
    /// Say what would happen, change nothing.
    pub dry_run: bool,
}

/// Why an import was not even planned. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No file, or an empty one.
    EmptyFile,
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge { limit_bytes: usize },
    /// `complete_for` is not one of the register's municipality codes.
    UnknownMunicipality { code: String },
}

/// What an import did.
#[derive(Debug)]
pub enum ImportOutcome {
    /// A dry run: what would happen. Nothing was changed.
    Planned(ImportPlan),
    /// Carried out: the plan and what it did.
    Applied { plan: ImportPlan, applied: Applied },
    /// Nothing in the file could be used — no rows, or every row refused (the plan lists
    /// why). Nothing was changed.
    NothingUsable(ImportPlan),
}

impl ImportOutcome {
    pub fn plan(&self) -> &ImportPlan {
        match self {
            Self::Planned(plan) | Self::NothingUsable(plan) | Self::Applied { plan, .. } => plan,
        }
    }

    pub fn applied(&self) -> Option<Applied> {
        match self {
            Self::Applied { applied, .. } => Some(*applied),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum ImportError {
    #[error("import refused: {0:?}")]
    Refused(Refusal),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Consequence(String),
}

impl From<ApplyError> for ImportError {
    fn from(e: ApplyError) -> Self {
        match e {
            ApplyError::Database(e) => Self::Database(e),
            ApplyError::Consequence(m) => Self::Consequence(m),
        }
    }
}

/// Checks what was handed in, plans the import and, unless `dry_run` or nothing in the
/// file is usable, carries it out — planned and applied in one transaction, so the register
/// cannot change in between.
fn run(
    conn: &mut DbConnection,
    caller: &Caller,
    request: ImportRequest,
) -> std::result::Result<ImportOutcome, ImportError> {
    if request.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Refused(Refusal::EmptyFile));
    }
    if request.bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::Refused(Refusal::TooLarge {
            limit_bytes: MAX_FILE_BYTES,
        }));
    }
    let complete_for = request
        .complete_for
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let today = crate::db::now().date();
    let work = |conn: &mut DbConnection| -> std::result::Result<ImportOutcome, ImportError> {
        let kommuner: Vec<String> = register::municipalities(conn)?
            .into_iter()
            .map(|m| m.code)
            .collect();
        if let Some(code) = &complete_for
            && !kommuner.contains(code)
        {
            return Err(ImportError::Refused(Refusal::UnknownMunicipality {
                code: code.clone(),
            }));
        }
        let parsed = register_file::parse(&request.bytes, &kommuner);
        let plan = register_import::plan(conn, parsed, complete_for.as_deref(), today)?;
        if request.dry_run {
            return Ok(ImportOutcome::Planned(plan));
        }
        if plan.is_empty() && plan.unchanged == 0 {
            return Ok(ImportOutcome::NothingUsable(plan));
        }
        let applied = register_import::apply(conn, caller, &plan, &request.source)?;
        Ok(ImportOutcome::Applied { plan, applied })
    };
    if request.dry_run {
        work(conn)
    } else {
        write_tx(conn, work)
    }
}

/// Imports (or, as a dry run, only compares) a register file, as `acting`.
pub fn import(
    conn: &mut DbConnection,
    acting: &Acting,
    request: ImportRequest,
) -> Result<std::result::Result<ImportOutcome, Refusal>> {
    if !maintains_register(&acting.actor) {
        return Err(Error::Forbidden);
    }
    import_as(conn, &acting.caller(Some(Role::Operator)), request)
}

/// Imports as `caller` without asking the policy: the command line, run by whoever runs
/// the server, acts as the system itself.
pub fn import_as(
    conn: &mut DbConnection,
    caller: &Caller,
    request: ImportRequest,
) -> Result<std::result::Result<ImportOutcome, Refusal>> {
    match run(conn, caller, request) {
        Ok(outcome) => Ok(Ok(outcome)),
        Err(ImportError::Refused(refusal)) => Ok(Err(refusal)),
        Err(e) => Err(Error::Storage(e.into())),
    }
}
