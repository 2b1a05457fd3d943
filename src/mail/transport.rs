//! Where mail goes: a folder of `.eml` files (the embedded default, and for looking at
//! mail in development) or an SMTP server (`smtp://` with `?tls=required` for STARTTLS,
//! or `smtps://` for TLS from the start; credentials in the URL).

use std::time::Duration;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::configuration::MailSettings;
use crate::db::mail::MailMessage;

pub enum Mailer {
    Folder(FileTransport),
    Smtp(SmtpTransport),
}

/// Why a send failed, and whether trying again can help.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        let target = settings.transport.as_str();
        if let Some(dir) = target.strip_prefix("file://") {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the mail folder {dir}"))?;
            Ok(Self::Folder(FileTransport::new(dir)))
        } else if target.starts_with("smtp://") || target.starts_with("smtps://") {
            let transport = SmtpTransport::from_url(target)
                .context("TILSLUTNING_MAIL is not a valid SMTP URL")?
                .timeout(Some(Duration::from_secs(15)))
                .pool_config(PoolConfig::new().max_size(settings.connections as u32))
                .build();
            Ok(Self::Smtp(transport))
        } else {
            anyhow::bail!("TILSLUTNING_MAIL must be smtp://…, smtps://… or file://FOLDER")
        }
    }

    pub fn send(&self, message: &Message) -> Result<(), SendError> {
        match self {
            Self::Folder(t) => t.send(message).map(|_| ()).map_err(|e| SendError {
                permanent: false,
                message: e.to_string(),
            }),
            Self::Smtp(t) => t.send(message).map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
        }
    }
}

/// The message for a queued row. Its Message-ID is derived from the row, so a resend
/// after a crash carries the same id and receiving systems can drop the duplicate.
pub fn build(settings: &MailSettings, host: &str, row: &MailMessage) -> Result<Message, SendError> {
    let bad = |what: &str, e: String| SendError {
        permanent: true,
        message: format!("{what}: {e}"),
    };
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e: lettre::address::AddressError| bad("sender", e.to_string()))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e: lettre::address::AddressError| bad("recipient", e.to_string()))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(&row.subject)
        .message_id(Some(format!("<{}@{host}>", row.id)));
    if let Some(reply_to) = &settings.reply_to {
        let reply_to: Mailbox = reply_to
            .parse()
            .map_err(|e: lettre::address::AddressError| bad("reply-to", e.to_string()))?;
        builder = builder.reply_to(reply_to);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            row.text_body.clone(),
            row.html_body.clone(),
        ))
        .map_err(|e| bad("message", e.to_string()))
}
