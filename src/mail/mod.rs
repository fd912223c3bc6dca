//! Outgoing mail over lettre: SMTP in production, `.eml` files in the data
//! directory's outbox as the embedded default.

mod notices;
pub mod outbox;
mod reach_notices;
mod templates;

use std::time::Duration;

use anyhow::Context;
use lettre::{
    message::header::ContentTransferEncoding,
    message::{header::ContentType, Body, Mailbox, MultiPart, SinglePart},
    transport::smtp::authentication::Credentials,
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use secrecy::ExposeSecret;

pub use notices::{decision_mail, digest_mail, report_mail, Decision, ReportAbout};
pub use reach_notices::reach_mail;
pub use templates::{sign_in_mail, team_invite_mail};

use crate::config::{Config, MailTransportKind, SmtpTls};

/// A rendered email, ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Clone)]
pub enum Mailer {
    Outbox {
        transport: AsyncFileTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl Mailer {
    /// # Errors
    /// When the sender address or SMTP settings are invalid, or the outbox
    /// directory cannot be created.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .mail
            .from
            .parse()
            .context("mail.from is not a valid sender address")?;
        match config.mail.transport {
            MailTransportKind::Outbox => {
                let dir = config.outbox_dir();
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create the outbox {}", dir.display()))?;
                Ok(Self::Outbox {
                    transport: AsyncFileTransport::new(dir),
                    from,
                })
            }
            MailTransportKind::Smtp => {
                let smtp = &config.mail.smtp;
                let mut builder = match smtp.tls {
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                    SmtpTls::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                }
                .port(smtp.port)
                .timeout(Some(Duration::from_secs(smtp.timeout_seconds)));
                if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(
                        user.clone(),
                        password.expose_secret().to_owned(),
                    ));
                }
                Ok(Self::Smtp {
                    transport: builder.build(),
                    from,
                })
            }
        }
    }

    #[must_use]
    pub fn is_outbox(&self) -> bool {
        matches!(self, Self::Outbox { .. })
    }

    /// Sends one mail.
    ///
    /// # Errors
    /// When the address is invalid or the transport fails.
    pub async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        self.send_with_id(mail, None).await
    }

    /// The sender's domain, for `Message-ID`s.
    fn domain(&self) -> String {
        match self {
            Self::Outbox { from, .. } | Self::Smtp { from, .. } => from.email.domain().to_owned(),
        }
    }

    /// Sends one mail with a fixed `Message-ID`, so that a receiving server
    /// can recognise the same mail should it ever arrive twice.
    ///
    /// # Errors
    /// When the address is invalid or the transport fails.
    pub async fn send_with_id(
        &self,
        mail: &OutgoingMail,
        message_id: Option<String>,
    ) -> anyhow::Result<()> {
        let from = match self {
            Self::Outbox { from, .. } | Self::Smtp { from, .. } => from.clone(),
        };
        // Every mail gets an id that sorts by when it was written (UUID v7):
        // the outbox's row id, or a new one for mail sent at once.
        let message_id =
            message_id.unwrap_or_else(|| format!("<{}@{}>", uuid::Uuid::now_v7(), self.domain()));
        let message = build_message(from, mail, Some(message_id))?;
        match self {
            Self::Outbox { transport, .. } => {
                transport.send(message).await?;
            }
            Self::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}

fn build_message(
    from: Mailbox,
    mail: &OutgoingMail,
    message_id: Option<String>,
) -> anyhow::Result<Message> {
    let to: Mailbox = mail.to.parse().context("invalid recipient")?;
    let text = Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| anyhow::anyhow!("text body cannot be encoded"))?;
    let html = Body::new_with_encoding(mail.html.clone(), ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| anyhow::anyhow!("html body cannot be encoded"))?;
    Ok(Message::builder()
        .message_id(message_id)
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )?)
}

impl Mailer {
    /// A mailer that writes nowhere until used; for building the API document.
    ///
    /// # Errors
    /// When the configured sender is invalid.
    pub fn offline(config: &Config) -> anyhow::Result<Self> {
        Ok(Self::Outbox {
            transport: AsyncFileTransport::new(std::env::temp_dir()),
            from: config.mail.from.parse().context("invalid sender")?,
        })
    }
}
