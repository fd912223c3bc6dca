//! The command line: `serve`, `migrate`, `openapi`, `create-admin`, `seed-demo`,
//! `backup`, `restore`, `stats recount`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{app, clock::SystemClock, config::Config, domain::Email, service::operator, telemetry};

#[derive(Debug, Parser)]
#[command(name = "changemakers", version, about = "The changemakers platform")]
pub struct Cli {
    /// A TOML configuration file; `CHANGEMAKERS__*` environment variables override it.
    #[arg(long, short, env = "CHANGEMAKERS_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the web app and the background workers.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Give the person with this email the admin role (creating the account if needed).
    CreateAdmin { email: String },
    /// Fill a demo city (Larvik, Norway) with a KomINN programme. Safe to run twice.
    SeedDemo,
    /// Write a consistent backup (the database, and the media or a manifest
    /// of them) into a new directory.
    Backup {
        /// The directory to write; it must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup back into an empty data directory or database, checking
    /// every count and media object against it.
    Restore {
        /// A directory written by `backup`.
        dir: PathBuf,
    },
    /// The figures' rollups.
    Stats {
        #[command(subcommand)]
        action: StatsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Rebuild the rollups from the raw rows and print where they had drifted.
    Recount {
        /// Only print the drift; change nothing.
        #[arg(long)]
        check: bool,
    },
}

/// Runs one command.
///
/// # Errors
/// Whatever stopped the command; the binary prints it and exits non-zero.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi = cli.command {
        print!("{}", crate::api::spec_json()?);
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref()).context("invalid configuration")?;
    telemetry::init(&config.log);
    match cli.command {
        Command::Serve => {
            let application = app::Application::build(config).await?;
            tracing::info!(port = application.port(), "changemakers is listening");
            application.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Migrate => {
            let mut config = config;
            config.database.migrate_on_start = true;
            let state = app::connect(config, std::sync::Arc::new(SystemClock)).await?;
            tracing::info!(backend = state.db.backend(), "migrations applied");
        }
        Command::CreateAdmin { email } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
            let state = app::connect(config, std::sync::Arc::new(SystemClock)).await?;
            operator::create_admin(&state, &email).await?;
            println!("{email} is now an admin; they sign in with this address.");
        }
        Command::SeedDemo => {
            let state = app::connect(config, std::sync::Arc::new(SystemClock)).await?;
            let summary = operator::seed_demo(&state).await?;
            println!("{summary}");
        }
        Command::Backup { out } => {
            let state = app::connect(config, std::sync::Arc::new(SystemClock)).await?;
            let manifest = crate::service::backup::backup(&state, &out).await?;
            println!(
                "Backed up the {} database ({} campaigns, {} people) and {} media objects{} into {}",
                manifest.database,
                manifest.counts.get("campaigns").copied().unwrap_or(0),
                manifest.counts.get("users").copied().unwrap_or(0),
                manifest.objects.len(),
                if manifest.media == "s3" { " (listed with checksums; the bucket keeps them)" } else { "" },
                out.display()
            );
        }
        Command::Restore { dir } => {
            let manifest = crate::service::backup::restore(&config, &dir).await?;
            println!(
                "Restored the backup of {}: {} campaigns, {} media objects, every count and checksum checked.",
                manifest.created_at.to_rfc3339(),
                manifest.counts.get("campaigns").copied().unwrap_or(0),
                manifest.objects.len()
            );
        }
        Command::Stats {
            action: StatsCommand::Recount { check },
        } => {
            let state = app::connect(config, std::sync::Arc::new(SystemClock)).await?;
            let drift = if check {
                crate::service::stats::recount::check(&state).await?
            } else {
                crate::service::stats::recount::recount(&state).await?
            };
            for d in &drift {
                println!("{d}");
            }
            match (drift.len(), check) {
                (0, _) => println!("The rollups agree with the raw rows."),
                (n, true) => {
                    println!("{n} figures have drifted; run without --check to repair them.");
                    std::process::exit(1);
                }
                (n, false) => println!("{n} figures had drifted; the rollups are rebuilt."),
            }
        }
        Command::Openapi => {}
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
