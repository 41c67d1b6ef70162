//! The `newsdesk` command: serve the API (default), apply migrations, print the OpenAPI
//! document, or load demo / benchmark content.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::SecretString;

use newsdesk::clock::Clock;
use newsdesk::config::Config;
use newsdesk::db::Db;
use newsdesk::index::engine::{Rebuild, SearchIndex};
use newsdesk::{seed, startup, telemetry};

#[derive(Parser)]
#[command(name = "newsdesk", version, about = "Content API of a news publisher")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Rebuild the search index (NEWSDESK_SEARCH_DIR) from the stored articles.
    Reindex,
    /// Manage newsroom accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load content: a demo newsroom, or N synthetic articles for benchmarks.
    Seed {
        /// A made-up newsroom: sections, authors, tags and 300+ articles in en/ru/az.
        #[arg(
            long,
            conflicts_with = "generate",
            required_unless_present = "generate"
        )]
        demo: bool,
        /// N synthetic articles of about 600 words each.
        #[arg(long, value_name = "N")]
        generate: Option<u64>,
        /// Replace existing content instead of refusing to run.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input (one line).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, editor or writer
        #[arg(long)]
        role: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return match newsdesk::openapi().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(format!("cannot render the OpenAPI document: {e}")),
        };
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return startup::fail(format!("configuration error: {e}")),
    };
    telemetry::init_logging(config.log_format);
    match command {
        Command::Serve => startup::serve(config),
        Command::Migrate => match startup::migrate(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => startup::fail(e),
        },
        Command::Seed {
            demo,
            generate,
            force,
        } => {
            match startup::migrate(&config).and_then(|()| run_seed(&config, demo, generate, force))
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => startup::fail(e),
            }
        }
        Command::User {
            command: UserCommand::Create { email, name, role },
        } => match startup::migrate(&config)
            .and_then(|()| create_user(&config, &email, &name, &role))
        {
            Ok(id) => {
                println!("created {role} {} (id {id})", email.trim().to_lowercase());
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(e),
        },
        Command::Reindex => match startup::migrate(&config).and_then(|()| reindex(&config)) {
            Ok(n) => {
                println!("indexed {n} articles");
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(e),
        },
        Command::Openapi => unreachable!("handled above"),
    }
}

fn run_seed(config: &Config, demo: bool, generate: Option<u64>, force: bool) -> Result<(), String> {
    let db = Db::new(&config.database_url, 4, config.db_timeout);
    let clock = Clock::system();
    let report = match generate {
        Some(n) => seed::generate(&db, n, force, clock.now_naive()),
        None if demo => seed::demo(&db, force, clock.now_naive()),
        None => unreachable!("clap requires --demo or --generate"),
    }
    .map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// `newsdesk reindex`: rebuilds this machine's search index (`NEWSDESK_SEARCH_DIR`) from the
/// database, with a progress bar on a terminal. A server using the directory must be stopped
/// first (it would rebuild by itself anyway when it finds the index missing or stale).
fn reindex(config: &Config) -> Result<u64, String> {
    let mut conn = config.database_url.establish().map_err(|e| {
        format!(
            "cannot connect to the database: {}",
            startup::one_line(&e.to_string())
        )
    })?;
    let index = SearchIndex::open(&config.search_dir()).map_err(|e| e.to_string())?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} articles, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("indexing");
    let started = std::time::Instant::now();
    let n = index
        .rebuild(&mut conn, &Rebuild::Asked, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .map_err(|e| format!("rebuilding the search index: {e}"))?;
    bar.finish_and_clear();
    println!(
        "search index in {} rebuilt in {:.1} s",
        index.dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(n)
}

/// `newsdesk user create`: the password comes from standard input, never the command line.
fn create_user(config: &Config, email: &str, name: &str, role: &str) -> Result<i64, String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let password = SecretString::from(password.trim_end_matches(['\r', '\n']).to_string());
    let db = Db::new(&config.database_url, 1, config.db_timeout);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    newsdesk::users::routes::create_account(
        &mut conn,
        email,
        name,
        role,
        &password,
        Clock::system().now_naive(),
    )
    .map_err(|e| e.describe())
}
