//! Downloads written a batch at a time on the blocking pool and streamed to the browser
//! (the audit log's and the agreements' exports): memory stays flat however large the
//! export, and a client that goes away stops the work.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::db::{Db, DbConnection};

/// Streams `head` and then each batch `next` writes, until it writes none; `next` gets
/// one connection for the whole export. A failure is logged and ends the download.
pub fn stream<F>(db: &Db, content_type: &str, file: &str, head: Vec<u8>, next: F) -> HttpResponse
where
    F: FnMut(&mut DbConnection) -> anyhow::Result<Option<Vec<u8>>> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(4);
    let db = db.clone();
    let file_name = file.to_string();
    let language = crate::i18n::current();
    actix_web::rt::task::spawn_blocking(move || {
        crate::i18n::on_this_thread(language, || export(db, head, next, sender, file_name))
    });
    let body = futures_util::stream::unfold(receiver, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}

/// Writes the export on the blocking thread, a batch at a time, into `sender`.
fn export<F>(
    db: Db,
    head: Vec<u8>,
    mut next: F,
    sender: tokio::sync::mpsc::Sender<Result<web::Bytes, std::io::Error>>,
    file_name: String,
) where
    F: FnMut(&mut DbConnection) -> anyhow::Result<Option<Vec<u8>>>,
{
    let send = |bytes: Vec<u8>| sender.blocking_send(Ok(web::Bytes::from(bytes))).is_ok();
    let failed = |e: String| {
        tracing::error!(error = %e, file = %file_name, "export stopped");
        let _ = sender.blocking_send(Err(std::io::Error::other(e)));
    };
    if !head.is_empty() && !send(head) {
        return;
    }
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failed(e.to_string()),
    };
    loop {
        match next(&mut conn) {
            Ok(Some(bytes)) => {
                if !send(bytes) {
                    return; // the client went away
                }
            }
            Ok(None) => return,
            Err(e) => return failed(e.to_string()),
        }
    }
}
